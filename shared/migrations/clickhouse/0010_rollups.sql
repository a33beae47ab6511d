-- Per-minute and per-hour rollups of check_results, filled on insert by materialized
-- views, so statistics, status pages and badges never scan raw rows.
--
-- A view sees each insert, not the merged table: a result inserted twice (a redelivery)
-- reaches the rollup twice, where ReplacingMergeTree would keep one row. So checks are
-- counted as distinct slots: `uniqExact` of the slot's millisecond timestamp (with
-- monitor, region and bucket in the key, that is the raw table's sorting key). A slot
-- seen with several outcomes counts once, as answered if any of them answered.
-- Latency and phases are plain states: a duplicated answered result weighs twice there.
--
-- `answered` means up or degraded, as in the raw statistics: failures = checks - answered.
-- Quantiles are reservoir samples, exact up to 8192 values per query and deterministic
-- beyond (sampled by the slot's hash), so repeated reads agree.
CREATE TABLE IF NOT EXISTS {db}.check_rollup_minute (
    monitor_id   UUID,
    region       LowCardinality(String),
    bucket       DateTime('UTC'),
    checks       AggregateFunction(uniqExactIf, UInt64, UInt8),
    answered     AggregateFunction(uniqExactIf, UInt64, UInt8),
    latency_avg  AggregateFunction(avgIf, Nullable(Float32), UInt8),
    latency_q    AggregateFunction(quantilesDeterministicIf(0.5, 0.95, 0.99), Nullable(Float32), UInt64, UInt8),
    dns_avg      AggregateFunction(avgIf, Nullable(Float32), UInt8),
    connect_avg  AggregateFunction(avgIf, Nullable(Float32), UInt8),
    tls_avg      AggregateFunction(avgIf, Nullable(Float32), UInt8),
    ttfb_avg     AggregateFunction(avgIf, Nullable(Float32), UInt8),
    transfer_avg AggregateFunction(avgIf, Nullable(Float32), UInt8)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMMDD(bucket)
ORDER BY (monitor_id, region, bucket)
TTL bucket + INTERVAL 30 DAY
SETTINGS ttl_only_drop_parts = 1;

CREATE TABLE IF NOT EXISTS {db}.check_rollup_hour AS {db}.check_rollup_minute
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (monitor_id, region, bucket)
TTL bucket + INTERVAL 400 DAY
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.check_rollup_minute_mv TO {db}.check_rollup_minute AS
WITH
    toUInt64(toUnixTimestamp64Milli(scheduled_at)) AS slot,
    status IN ('up', 'degraded') AS ok
SELECT
    monitor_id,
    region,
    toStartOfMinute(scheduled_at) AS bucket,
    uniqExactIfState(slot, status != 'missed') AS checks,
    uniqExactIfState(slot, ok) AS answered,
    avgIfState(latency_ms, ok) AS latency_avg,
    quantilesDeterministicIfState(0.5, 0.95, 0.99)(latency_ms, slot, ok) AS latency_q,
    avgIfState(dns_ms, ok) AS dns_avg,
    avgIfState(connect_ms, ok) AS connect_avg,
    avgIfState(tls_ms, ok) AS tls_avg,
    avgIfState(ttfb_ms, ok) AS ttfb_avg,
    avgIfState(transfer_ms, ok) AS transfer_avg
FROM {db}.check_results
GROUP BY monitor_id, region, bucket;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.check_rollup_hour_mv TO {db}.check_rollup_hour AS
WITH
    toUInt64(toUnixTimestamp64Milli(scheduled_at)) AS slot,
    status IN ('up', 'degraded') AS ok
SELECT
    monitor_id,
    region,
    toStartOfHour(scheduled_at) AS bucket,
    uniqExactIfState(slot, status != 'missed') AS checks,
    uniqExactIfState(slot, ok) AS answered,
    avgIfState(latency_ms, ok) AS latency_avg,
    quantilesDeterministicIfState(0.5, 0.95, 0.99)(latency_ms, slot, ok) AS latency_q,
    avgIfState(dns_ms, ok) AS dns_avg,
    avgIfState(connect_ms, ok) AS connect_avg,
    avgIfState(tls_ms, ok) AS tls_avg,
    avgIfState(ttfb_ms, ok) AS ttfb_avg,
    avgIfState(transfer_ms, ok) AS transfer_avg
FROM {db}.check_results
GROUP BY monitor_id, region, bucket;

-- Backfill what was recorded before the views existed. Rows inserted while this runs
-- reach the rollups through the views too: their checks still count once.
INSERT INTO {db}.check_rollup_minute
WITH
    toUInt64(toUnixTimestamp64Milli(scheduled_at)) AS slot,
    status IN ('up', 'degraded') AS ok
SELECT
    monitor_id,
    region,
    toStartOfMinute(scheduled_at) AS bucket,
    uniqExactIfState(slot, status != 'missed') AS checks,
    uniqExactIfState(slot, ok) AS answered,
    avgIfState(latency_ms, ok) AS latency_avg,
    quantilesDeterministicIfState(0.5, 0.95, 0.99)(latency_ms, slot, ok) AS latency_q,
    avgIfState(dns_ms, ok) AS dns_avg,
    avgIfState(connect_ms, ok) AS connect_avg,
    avgIfState(tls_ms, ok) AS tls_avg,
    avgIfState(ttfb_ms, ok) AS ttfb_avg,
    avgIfState(transfer_ms, ok) AS transfer_avg
FROM {db}.check_results FINAL
WHERE scheduled_at >= now() - INTERVAL 30 DAY
GROUP BY monitor_id, region, bucket;

INSERT INTO {db}.check_rollup_hour
WITH
    toUInt64(toUnixTimestamp64Milli(scheduled_at)) AS slot,
    status IN ('up', 'degraded') AS ok
SELECT
    monitor_id,
    region,
    toStartOfHour(scheduled_at) AS bucket,
    uniqExactIfState(slot, status != 'missed') AS checks,
    uniqExactIfState(slot, ok) AS answered,
    avgIfState(latency_ms, ok) AS latency_avg,
    quantilesDeterministicIfState(0.5, 0.95, 0.99)(latency_ms, slot, ok) AS latency_q,
    avgIfState(dns_ms, ok) AS dns_avg,
    avgIfState(connect_ms, ok) AS connect_avg,
    avgIfState(tls_ms, ok) AS tls_avg,
    avgIfState(ttfb_ms, ok) AS ttfb_avg,
    avgIfState(transfer_ms, ok) AS transfer_avg
FROM {db}.check_results FINAL
GROUP BY monitor_id, region, bucket
