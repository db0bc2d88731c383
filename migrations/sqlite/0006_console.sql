-- The web console (issue 13): accounts (argon2 password hashes) and their sessions, kept
-- by the SHA-256 of the session token (the cookie), with the CSRF token of its forms.
CREATE TABLE console_users (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL UNIQUE,
    password_hash  TEXT    NOT NULL,
    created_at     INTEGER  NOT NULL
);
CREATE TABLE console_sessions (
    token_hash     TEXT    PRIMARY KEY,
    user_name      TEXT    NOT NULL,
    csrf           TEXT    NOT NULL,
    created_at     INTEGER  NOT NULL,
    expires_at     INTEGER  NOT NULL
);
