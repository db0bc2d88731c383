-- Webhooks (issue 13): the outbox. One row per event and subscribed webhook, written in the
-- transaction of the change it tells (a lead's transition, a campaign's pause, a mailbox
-- turning unhealthy); the delivery task sends the oldest pending row of each key first, so
-- a lead's events arrive in order, and retries with a growing delay for 24 hours.
CREATE TABLE webhook_outbox (
    id             INTEGER PRIMARY KEY,
    webhook        TEXT    NOT NULL,
    event_id       TEXT    NOT NULL,
    event_type     TEXT    NOT NULL,
    lead_key       TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    created_at     INTEGER  NOT NULL,
    next_at        INTEGER  NOT NULL,
    attempts       INTEGER  NOT NULL DEFAULT 0,
    claimed_until  INTEGER,
    delivered_at   INTEGER,
    failed_at      INTEGER,
    last_error     TEXT
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (webhook, next_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX webhook_outbox_key ON webhook_outbox (webhook, lead_key, id) WHERE delivered_at IS NULL AND failed_at IS NULL;
