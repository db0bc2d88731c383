-- Daemons sharing this database, for dividing the mailboxes between them and for status.
-- A row is refreshed every lease renewal; one not seen for a lease TTL is dead.
CREATE TABLE daemons (
    id          TEXT    PRIMARY KEY,
    host        TEXT    NOT NULL,
    pid         BIGINT  NOT NULL,
    started_at  BIGINT  NOT NULL,
    seen_at     BIGINT  NOT NULL
);

-- Open claims of one mailbox, looked up when its lease changes hands.
CREATE INDEX sends_open ON sends (mailbox, state) WHERE state = 'claimed';
