"""Analysis on demand: the anomaly detectors run now, and trends against the previous
period. Read-only (nothing opens or resolves), shared by `POST /api/v1/analysis`,
`GET /api/v1/monitors/{id}/trends` and `upmon analyze`."""

from __future__ import annotations

from collections import Counter
from typing import Literal

import msgspec
from clickhouse_connect.driver.asyncclient import AsyncClient
from msgspec import Struct

from shared import anomaly, anomaly_data
from shared.anomaly import JOB_REGION, AnomalySpec, Change, JobHistory

TrendWindow = Literal["1h", "24h", "7d", "30d"]
TREND_WINDOWS = {"1h": 3600, "24h": 86_400, "7d": 7 * 86_400, "30d": 30 * 86_400}


class Analysed(Struct, kw_only=True):
    """The few facts of a monitor analysis needs: passed in, not read here."""

    id: str
    name: str
    spec: AnomalySpec


class FoundAnomaly(Struct, kw_only=True):
    monitor_id: str
    monitor_name: str
    region: str
    metric: str
    severity: str
    current: float
    baseline: float
    deviation: float
    seasonality: str


class Analysis(Struct, kw_only=True):
    monitors_analysed: int
    regions_analysed: int
    anomalies: list[FoundAnomaly]
    by_metric: dict[str, int]
    by_severity: dict[str, int]
    # Monitors that cannot be judged yet, and other things worth a look.
    warnings: list[str]


async def analyse(
    ch: AsyncClient, database: str, monitors: list[Analysed], spans: anomaly_data.Spans
) -> Analysis:
    by_id = {m.id: m for m in monitors}
    k = max((m.spec.min_consecutive for m in monitors), default=1)
    spans = msgspec.structs.replace(spans, consecutive=k)
    inputs = await anomaly_data.read(ch, database, list(by_id), spans)
    found: list[FoundAnomaly] = []
    warnings: list[str] = []
    keys = sorted(
        set(inputs.windows) | set(inputs.failures) | {(j, JOB_REGION) for j in inputs.jobs}
    )
    for monitor_id, region in keys:
        m = by_id[monitor_id]
        verdict = anomaly_data.judge_key(m.spec, inputs, monitor_id, region)
        base = verdict.baseline
        if region == JOB_REGION:
            warnings.extend(job_warnings(m, inputs.jobs[monitor_id]))
        elif base is None or base.samples < m.spec.min_samples:
            warnings.append(f"{m.name} ({region}): warming up, no baseline yet")
        failures = inputs.failures.get((monitor_id, region))
        if failures is not None and failures.checks == 0:
            warnings.append(f"{m.name} ({region}): no checks ran in the failure window")
        for f in verdict.detected:
            found.append(
                FoundAnomaly(
                    monitor_id=monitor_id,
                    monitor_name=m.name,
                    region=region,
                    metric=f.metric,
                    severity=f.severity,
                    current=f.current,
                    baseline=f.baseline,
                    deviation=f.deviation,
                    seasonality=f.seasonality or (base.seasonality if base else ""),
                )
            )
    seen = {monitor_id for monitor_id, _ in keys}
    for m in monitors:
        if m.id not in seen:
            warnings.append(f"{m.name}: no recent results (paused, new, or missed executions)")
    return Analysis(
        monitors_analysed=len(monitors),
        regions_analysed=len(keys),
        anomalies=found,
        by_metric=dict(Counter(a.metric for a in found)),
        by_severity=dict(Counter(a.severity for a in found)),
        warnings=warnings,
    )


def job_warnings(m: Analysed, job: JobHistory) -> list[str]:
    out = []
    if job.missed_today:
        out.append(f"{m.name}: {job.missed_today} missed expected runs in the last 24 h")
    if job.base_runs < m.spec.min_runs:
        out.append(f"{m.name} (runs): warming up, {job.base_runs} of {m.spec.min_runs} runs")
    return out


class Trends(Struct, kw_only=True):
    window: TrendWindow
    latency_p50_ms: Change
    latency_p95_ms: Change
    failure_rate: Change
    checks: Change


async def trends(ch: AsyncClient, database: str, monitor_id: str, window: TrendWindow) -> Trends:
    """This period against the one before it, from the hour rollup (minute for 1 h)."""
    seconds = TREND_WINDOWS[window]
    table, unit = ("rollup_minute", "MINUTE") if seconds <= 3600 else ("rollup_hour", "HOUR")
    found = await ch.query(
        f"WITH toStartOfInterval(now(), INTERVAL 1 {unit}) AS t0,"
        " t0 - toIntervalSecond({s:UInt32}) AS t1, t1 - toIntervalSecond({s:UInt32}) AS t2"
        " SELECT bucket >= t1 AS current,"
        " quantilesDeterministicIfMerge(0.5, 0.95, 0.99)(latency_q),"
        " uniqExactIfMerge(answered), uniqExactIfMerge(checks)"
        f" FROM `{database}`.{table}"
        " WHERE monitor_id = {m:UUID} AND bucket >= t2 AND bucket < t0"
        " GROUP BY current",
        parameters={"m": monitor_id, "s": seconds},
    )
    periods = {bool(row[0]): row[1:] for row in found.result_rows}
    now_q, now_ok, now_n = periods.get(True, (None, 0, 0))
    was_q, was_ok, was_n = periods.get(False, (None, 0, 0))
    return Trends(
        window=window,
        latency_p50_ms=anomaly.change(_q(now_q, 0, now_ok), _q(was_q, 0, was_ok)),
        latency_p95_ms=anomaly.change(_q(now_q, 1, now_ok), _q(was_q, 1, was_ok)),
        failure_rate=anomaly.change(_rate(now_ok, now_n), _rate(was_ok, was_n), stable_pct=10.0),
        checks=anomaly.change(float(now_n) if now_n else None, float(was_n) if was_n else None),
    )


def _q(quantiles, i: int, answered: int) -> float | None:
    if not answered or quantiles is None:
        return None
    value = quantiles[i]
    return None if value != value else round(float(value), 3)


def _rate(answered: int, checks: int) -> float | None:
    return round((checks - answered) / checks, 5) if checks else None
