-- One row per finished run of a job monitor (and per line it logged), projected from
-- the jobs.run events. ReplacingMergeTree keyed by the event id: a redelivered event
-- replaces, never doubles, its row.
CREATE TABLE IF NOT EXISTS {db}.job_runs (
    monitor_id  UUID,
    ended_at    DateTime64(3, 'UTC'),
    event_id    String,
    outcome     LowCardinality(String),
    started_at  Nullable(DateTime64(3, 'UTC')),
    duration_s  Nullable(Float64),
    exit_code   Nullable(UInt8),
    rid         Nullable(String),
    reason      Nullable(String),
    output      String,
    late        Bool,
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(ended_at)
ORDER BY (monitor_id, ended_at, event_id)
TTL toDateTime(ended_at) + INTERVAL {raw_ttl_days} DAY
