-- Incidents of kind `anomaly`: a monitor slower or flakier than its own past. They are
-- acknowledged and resolved like outages but never touch monitor_state: the monitor
-- stays up. At most one is open per monitor, region and metric, which is what makes a
-- detection pass idempotent across notifier replicas.
ALTER TABLE incidents ADD COLUMN kind text NOT NULL DEFAULT 'down'
    CHECK (kind IN ('down', 'anomaly'));
ALTER TABLE incidents ADD COLUMN metric text;
ALTER TABLE incidents ADD COLUMN details jsonb;
CREATE UNIQUE INDEX incidents_open_anomaly ON incidents (monitor_id, (regions[1]), metric)
    WHERE kind = 'anomaly' AND status <> 'resolved';

-- What a channel is told of: outages (down, up, reminders) by default; anomalies only
-- when asked for.
ALTER TABLE channels ADD COLUMN events text[] NOT NULL DEFAULT '{down,up,reminder}';
