-- Per-region state for multi-region quorum; reminder and escalation bookkeeping;
-- maintenance windows.
ALTER TABLE monitor_state ADD COLUMN regions jsonb NOT NULL DEFAULT '{}';

ALTER TABLE incidents ADD COLUMN next_reminder_at timestamptz;
ALTER TABLE incidents ADD COLUMN reminders_sent integer NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN escalate_at timestamptz;
ALTER TABLE incidents ADD COLUMN escalated_at timestamptz;
CREATE INDEX incidents_due_reminder ON incidents (next_reminder_at) WHERE status <> 'resolved';
CREATE INDEX incidents_due_escalation ON incidents (escalate_at)
    WHERE status = 'open' AND escalated_at IS NULL;

CREATE TABLE maintenance_windows (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    monitor_ids uuid[] NOT NULL DEFAULT '{}',
    tags        text[] NOT NULL DEFAULT '{}',
    -- One-off windows: starts_at..ends_at. Recurring ones: cron + duration_s in timezone.
    starts_at   timestamptz,
    ends_at     timestamptz,
    cron        text,
    duration_s  integer,
    timezone    text NOT NULL DEFAULT 'UTC',
    created_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz
);

-- Announced to the scheduler: failing short of DOWN means checks at retry_interval_s.
ALTER TABLE monitor_state ADD COLUMN failing boolean NOT NULL DEFAULT false;
