-- The recipient's side (issue 12): why a campaign is paused (an operator, or the bounce-rate
-- brake), since when its bounce rate counts (an operator's resume starts it afresh), and the
-- clicks on tracked links.
ALTER TABLE campaigns ADD COLUMN pause_reason TEXT;
ALTER TABLE campaigns ADD COLUMN rate_since INTEGER;

-- Every click on a tracked link, a person's or a machine's; `verdict` is set once judged.
CREATE TABLE clicks (
    id             INTEGER PRIMARY KEY,
    enrollment_id  INTEGER NOT NULL REFERENCES enrollments (id),
    step           INTEGER NOT NULL,
    link           INTEGER NOT NULL,
    at             INTEGER NOT NULL,
    method         TEXT    NOT NULL,
    user_agent     TEXT,
    verdict        TEXT
);
CREATE INDEX clicks_mail ON clicks (enrollment_id, step, at);
