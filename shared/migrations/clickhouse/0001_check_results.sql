-- One row per check. ReplacingMergeTree keyed by the slot (monitor, scheduled time,
-- region): a redelivered result replaces, never doubles, its row.
CREATE TABLE IF NOT EXISTS {db}.check_results (
    check_id        String,
    monitor_id      UUID,
    region          LowCardinality(String),
    scheduled_at    DateTime64(3, 'UTC'),
    checked_at      DateTime64(3, 'UTC'),
    status          LowCardinality(String),
    latency_ms      Nullable(Float32),
    http_status     Nullable(UInt16),
    error_kind      LowCardinality(Nullable(String)),
    error           Nullable(String),
    dns_ms          Nullable(Float32),
    connect_ms      Nullable(Float32),
    tls_ms          Nullable(Float32),
    ttfb_ms         Nullable(Float32),
    transfer_ms     Nullable(Float32),
    cert_expires_at Nullable(DateTime64(3, 'UTC')),
    executor        LowCardinality(String),
    event_id        String,
    ingested_at     DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(scheduled_at)
ORDER BY (monitor_id, scheduled_at, region)
TTL toDateTime(scheduled_at) + INTERVAL {raw_ttl_days} DAY
