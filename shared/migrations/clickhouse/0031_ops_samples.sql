-- Queue depth, rates and lag every 10 s, and each replica's CPU and throughput, for
-- /api/v1/ops/history and capacity planning. `at` is the start of the 10 s bucket, so
-- two recorder replicas that sample the same bucket write the same key and the
-- ReplacingMergeTree keeps one row.
CREATE TABLE IF NOT EXISTS {db}.ops_samples (
    at       DateTime('UTC'),
    metric   LowCardinality(String),
    stream   LowCardinality(String),
    consumer String,
    value    Float64
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMMDD(at)
ORDER BY (metric, stream, consumer, at)
TTL at + INTERVAL 30 DAY
