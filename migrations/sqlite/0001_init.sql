-- cadenced schema, SQLite dialect. Times are INTEGER milliseconds since the Unix epoch (UTC)
-- in both dialects, so that one set of queries and row types serves both backends.
-- Dates (return dates) are TEXT 'YYYY-MM-DD'.

CREATE TABLE campaigns (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE,
    mailbox      TEXT    NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'draft',
    spec_toml    TEXT    NOT NULL,
    launched_at  INTEGER,
    paused_at    INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

CREATE TABLE leads (
    id          INTEGER PRIMARY KEY,
    email       TEXT    NOT NULL UNIQUE,
    first_name  TEXT,
    last_name   TEXT,
    company     TEXT,
    timezone    TEXT,
    fields_json TEXT    NOT NULL DEFAULT '{}',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX leads_domain ON leads (substr(email, instr(email, '@') + 1));

CREATE TABLE enrollments (
    id                INTEGER PRIMARY KEY,
    campaign_id       INTEGER NOT NULL REFERENCES campaigns (id),
    lead_id           INTEGER NOT NULL REFERENCES leads (id),
    status            TEXT    NOT NULL,
    steps_sent        INTEGER NOT NULL DEFAULT 0,
    next_send_at      INTEGER,
    remaining_ms      INTEGER,
    paused_at         INTEGER,
    pause_source      TEXT,
    pause_reason      TEXT,
    resume_at         INTEGER,
    return_date       TEXT,
    note              TEXT,
    cause_message_id  INTEGER,
    stop_reason       TEXT,
    stopped_at        INTEGER,
    -- When the scheduler should next look at it: the countdown's end, pushed later to the
    -- window opening, a cap or a retry. Not part of the lifecycle state.
    due_at            INTEGER,
    version           INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    UNIQUE (campaign_id, lead_id)
);
CREATE INDEX enrollments_campaign_status ON enrollments (campaign_id, status);
CREATE INDEX enrollments_status ON enrollments (status);
CREATE INDEX enrollments_lead ON enrollments (lead_id);
CREATE INDEX enrollments_due ON enrollments (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX enrollments_resume ON enrollments (resume_at) WHERE status = 'paused' AND resume_at IS NOT NULL;

-- Every transition, with who or what caused it and why.
CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    enrollment_id  INTEGER NOT NULL REFERENCES enrollments (id),
    at             INTEGER NOT NULL,
    kind           TEXT    NOT NULL,
    from_status    TEXT    NOT NULL,
    to_status      TEXT    NOT NULL,
    actor          TEXT    NOT NULL,
    reason         TEXT,
    rule           TEXT,
    message_id     INTEGER,
    date           TEXT,
    note           TEXT
);
CREATE INDEX events_enrollment ON events (enrollment_id, id);

-- One row per step send: claimed, then sent (or uncertain, failed).
CREATE TABLE sends (
    id             INTEGER PRIMARY KEY,
    enrollment_id  INTEGER NOT NULL REFERENCES enrollments (id),
    step           INTEGER NOT NULL,
    mailbox        TEXT    NOT NULL,
    message_id     TEXT    NOT NULL UNIQUE,
    state          TEXT    NOT NULL,
    claimed_at     INTEGER NOT NULL,
    sent_at        INTEGER,
    attempts       INTEGER NOT NULL DEFAULT 0,
    claimed_by     TEXT,
    error          TEXT,
    UNIQUE (enrollment_id, step)
);
CREATE INDEX sends_mailbox_sent ON sends (mailbox, sent_at);

-- Every inbound message seen, matched or not, with its classification.
CREATE TABLE inbound_messages (
    id             INTEGER PRIMARY KEY,
    mailbox        TEXT    NOT NULL,
    folder         TEXT    NOT NULL,
    uidvalidity    INTEGER NOT NULL,
    uid            INTEGER NOT NULL,
    message_id     TEXT,
    from_addr      TEXT,
    subject        TEXT,
    sent_date      INTEGER,
    received_at    INTEGER NOT NULL,
    category       TEXT,
    rule           TEXT,
    language       TEXT,
    return_date    TEXT,
    evidence       TEXT,
    enrollment_id  INTEGER REFERENCES enrollments (id),
    -- The person the message is about (for a bounce: the original recipient), and how it was
    -- matched: 'thread' (In-Reply-To/References), 'recipient' (bounce), 'sender', 'domain'.
    lead_id        INTEGER REFERENCES leads (id),
    matched_by     TEXT,
    action         TEXT,
    error          TEXT,
    UNIQUE (mailbox, folder, uidvalidity, uid)
);
CREATE INDEX inbound_message_id ON inbound_messages (mailbox, message_id);
CREATE INDEX inbound_enrollment ON inbound_messages (enrollment_id) WHERE enrollment_id IS NOT NULL;

-- IMAP progress per mailbox and folder, and the lease of the daemon that watches it.
CREATE TABLE mailbox_checkpoints (
    mailbox       TEXT    NOT NULL,
    folder        TEXT    NOT NULL,
    uidvalidity   INTEGER NOT NULL,
    last_uid      INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (mailbox, folder)
);

CREATE TABLE mailbox_state (
    mailbox        TEXT    PRIMARY KEY,
    healthy        BOOLEAN NOT NULL DEFAULT TRUE,
    last_error     TEXT,
    lease_holder   TEXT,
    lease_until    INTEGER,
    updated_at     INTEGER NOT NULL
);

-- Addresses no campaign may mail again.
CREATE TABLE suppressions (
    email       TEXT    PRIMARY KEY,
    reason      TEXT    NOT NULL,
    message_id  INTEGER,
    created_at  INTEGER NOT NULL
);
