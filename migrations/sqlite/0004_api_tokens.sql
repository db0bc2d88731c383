-- The operator listener (issue 13): API tokens, stored as the SHA-256 of the token (a random
-- 32-byte value, so a fast hash is enough: nothing to guess). A revoked token keeps its row
-- (when and which), and its name may be given to a new token.
CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    hash        TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (name) WHERE revoked_at IS NULL;
