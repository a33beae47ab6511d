"""What the anomaly detectors read from ClickHouse, in six queries per pass.

- Hours: the hour rollup of the last 29 days, only the hours that line up with the
  current one (the same hour on past days, which includes past weeks) and the last
  day, as HourStats: the baseline's input; plus the hour just before the windows
  from raw results (a young monitor has no other past).
- Latency windows: `consecutive` trailing windows of `window_s` seconds of raw
  results, each `step_s` older than the next (one per pass), newest last.
- Failure window: the trailing `failure_window_s` seconds' checks and answers.
- Jobs (from `job_runs`): the newest JOB_RECENT successful run durations and the
  quartiles of those before them; runs and missed runs per 24 hours back from now.

Windows end `lag_s` before now, so results still in the recorder's batch are not
missed. Used by the notifier's periodic pass and the api's on-demand analysis alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from clickhouse_connect.driver.asyncclient import AsyncClient
from msgspec import Struct

from shared import anomaly
from shared.anomaly import (
    HISTORY_DAYS,
    JOB_REGION,
    AnomalySpec,
    HourStat,
    JobHistory,
    Verdict,
    Window,
)


class Spans(Struct, kw_only=True, frozen=True):
    window_s: float = 600.0
    step_s: float = 60.0
    failure_window_s: float = 1800.0
    lag_s: float = 5.0
    consecutive: int = 3


def spans_of(settings, consecutive: int) -> Spans:
    """The windows of a pass, from the `UPMON_ANOMALY_*` settings."""
    return Spans(
        window_s=settings.anomaly_window_s,
        step_s=settings.anomaly_every_s,
        failure_window_s=settings.anomaly_failure_window_s,
        lag_s=settings.anomaly_lag_s,
        consecutive=consecutive,
    )


Key = tuple[str, str]  # (monitor id, region)


@dataclass
class Inputs:
    hours: dict[Key, list[HourStat]] = field(default_factory=lambda: defaultdict(list))
    # Oldest first, one per minute.
    windows: dict[Key, list[Window]] = field(default_factory=lambda: defaultdict(list))
    failures: dict[Key, Window] = field(default_factory=dict)
    # Job monitors, by monitor id.
    jobs: dict[str, JobHistory] = field(default_factory=dict)


def judge_key(
    spec: AnomalySpec,
    inputs: Inputs,
    monitor_id: str,
    region: str,
    opened: frozenset[str] = frozenset(),
) -> Verdict:
    """The detectors of one key: a job's runs (JOB_REGION), or a monitor's region."""
    if region == JOB_REGION:
        return anomaly.judge_job(spec, inputs.jobs.get(monitor_id, JobHistory()), opened)
    return anomaly.judge(
        spec,
        inputs.hours.get((monitor_id, region), []),
        inputs.windows.get((monitor_id, region), []),
        inputs.failures.get((monitor_id, region)),
        opened,
    )


class HourCache:
    """The rollup hours of the current hour, kept until the hour turns: they are most
    of a pass's ClickHouse time and change only when a new hour is rolled up."""

    def __init__(self) -> None:
        self.hour: datetime | None = None
        self.hours: dict[Key, list[HourStat]] = {}


async def read(
    ch: AsyncClient,
    database: str,
    monitor_ids: Sequence[str] | None,
    spans: Spans,
    now: datetime | None = None,
    cache: HourCache | None = None,
) -> Inputs:
    """Everything one detection pass needs, for the given monitors (None: all)."""
    if monitor_ids is not None and not monitor_ids:
        return Inputs()
    params = params_of(monitor_ids, spans, now)
    ids = "" if monitor_ids is None else " AND monitor_id IN {ids:Array(UUID)}"
    inputs = Inputs()
    hour = params["now"].replace(minute=0, second=0, microsecond=0)  # type: ignore[union-attr]
    if cache is not None and cache.hour == hour:
        inputs.hours.update({k: list(v) for k, v in cache.hours.items()})
    else:
        await _hours(ch, database, ids, params, inputs)
        if cache is not None and monitor_ids is None:
            cache.hour, cache.hours = hour, {k: list(v) for k, v in inputs.hours.items()}
    await _last_hour(ch, database, ids, params, inputs)
    await _windows(ch, database, ids, params, inputs)
    await _failures(ch, database, ids, params, inputs)
    await _jobs(ch, database, ids, params, inputs)
    return inputs


def params_of(monitor_ids: Sequence[str] | None, spans: Spans, now: datetime | None) -> dict:
    params: dict[str, object] = {
        "k": spans.consecutive,
        "w": int(spans.window_s * 1000),
        "step": int(spans.step_s * 1000),
        "f": int(spans.failure_window_s * 1000),
        "lag": int(spans.lag_s * 1000),
        "trim": anomaly.TRIM,
        "jr": anomaly.JOB_RECENT,
        "now": (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None),
    }
    if monitor_ids is not None:
        params["ids"] = list(monitor_ids)
    return params


_NOW = "toDateTime64({now:DateTime64(3)}, 3, 'UTC')"
# Window k (0 = the newest) ends k steps before t0.
_T0 = f"{_NOW} - toIntervalMillisecond({{lag:UInt64}})"
_IN_K = (
    "scheduled_at >= t0 - toIntervalMillisecond({w:UInt64} + k * {step:UInt64})"
    " AND scheduled_at < t0 - toIntervalMillisecond(k * {step:UInt64})"
)
_OK = "status IN ('up', 'degraded')"


async def _hours(ch, database: str, ids: str, params: dict, inputs: Inputs) -> None:
    found = await ch.query(
        f"WITH toStartOfHour({_NOW}) AS h0"
        " SELECT toString(monitor_id), region, dateDiff('hour', bucket, h0) AS ago,"
        " quantilesDeterministicIfMerge(0.5, 0.95, 0.99)(latency_q) AS q,"
        " uniqExactIfMerge(answered), uniqExactIfMerge(checks)"
        f" FROM `{database}`.rollup_hour"
        f" WHERE bucket >= h0 - INTERVAL {HISTORY_DAYS} DAY AND bucket < h0{ids}"
        # Only the hours a baseline can use are merged.
        " AND (dateDiff('hour', bucket, h0) <= 24 OR dateDiff('hour', bucket, h0) % 24 = 0)"
        " GROUP BY monitor_id, region, bucket, h0",
        parameters=params,
    )
    for monitor, region, ago, q, answered, checks in found.result_rows:
        inputs.hours[(monitor, region)].append(
            HourStat(
                hours_ago=int(ago),
                p50_ms=_ms(q[0]) if answered else None,
                p95_ms=_ms(q[1]) if answered else None,
                answered=int(answered),
                checks=int(checks),
            )
        )


async def _last_hour(ch, database: str, ids: str, params: dict, inputs: Inputs) -> None:
    """The hour before the windows, from raw results, as `hours_ago=0`: a young
    monitor's baseline, which the windows themselves must not weigh in."""
    found = await ch.query(
        f"WITH {_T0} AS t0, t0 - toIntervalMillisecond({{w:UInt64}}"
        " + ({k:UInt32} - 1) * {step:UInt64}) AS t1"
        f" SELECT toString(monitor_id), region, quantilesExactIf(0.5, 0.95)(latency_ms, {_OK}),"
        f" uniqExactIf(scheduled_at, {_OK}), uniqExactIf(scheduled_at, status != 'missed')"
        f" FROM `{database}`.check_results"
        f" WHERE scheduled_at >= t1 - INTERVAL 1 HOUR AND scheduled_at < t1{ids}"
        " GROUP BY monitor_id, region",
        parameters=params,
    )
    for monitor, region, q, answered, checks in found.result_rows:
        inputs.hours[(monitor, region)].append(
            HourStat(
                hours_ago=0,
                p50_ms=_ms(q[0]) if answered else None,
                p95_ms=_ms(q[1]) if answered else None,
                answered=int(answered),
                checks=int(checks),
            )
        )


async def _windows(ch, database: str, ids: str, params: dict, inputs: Inputs) -> None:
    found = await ch.query(
        f"WITH {_T0} AS t0"
        " SELECT toString(monitor_id), region, k,"
        f" quantilesExactIf(0.5, 0.95)(latency_ms, {_OK}) AS q,"
        f" uniqExactIf(scheduled_at, {_OK}), uniqExactIf(scheduled_at, status != 'missed'),"
        # The trimmed mean of shared.anomaly.trimmed_log_mean.
        " arrayAvg(arraySlice((arraySort(groupArrayIf(log(toFloat64(latency_ms)),"
        f" {_OK} AND latency_ms > 0)) AS s), (toUInt32(length(s) * {{trim:Float64}}) AS cut)"
        " + 1, length(s) - 2 * cut))"
        f" FROM `{database}`.check_results ARRAY JOIN range({{k:UInt32}}) AS k"
        " WHERE scheduled_at >= t0 - toIntervalMillisecond({w:UInt64}"
        " + ({k:UInt32} - 1) * {step:UInt64}) AND scheduled_at < t0"
        f" AND {_IN_K}{ids}"
        " GROUP BY monitor_id, region, k ORDER BY k DESC",
        parameters=params,
    )
    for monitor, region, _k, q, answered, checks, log_mean in found.result_rows:
        inputs.windows[(monitor, region)].append(
            Window(
                p50_ms=_ms(q[0]) if answered else None,
                p95_ms=_ms(q[1]) if answered else None,
                answered=int(answered),
                checks=int(checks),
                log_mean=_ms(log_mean) if answered else None,
            )
        )


async def _failures(ch, database: str, ids: str, params: dict, inputs: Inputs) -> None:
    found = await ch.query(
        f"WITH {_T0} AS t0"
        f" SELECT toString(monitor_id), region, uniqExactIf(scheduled_at, {_OK}),"
        " uniqExactIf(scheduled_at, status != 'missed')"
        f" FROM `{database}`.check_results"
        " WHERE scheduled_at >= t0 - toIntervalMillisecond({f:UInt64})"
        f" AND scheduled_at < t0{ids}"
        " GROUP BY monitor_id, region",
        parameters=params,
    )
    for monitor, region, answered, checks in found.result_rows:
        inputs.failures[(monitor, region)] = Window(
            p50_ms=None, p95_ms=None, answered=int(answered), checks=int(checks)
        )


_RUNS_BACK = f"ended_at >= {_NOW} - INTERVAL {HISTORY_DAYS} DAY AND ended_at < {_NOW}"


async def _jobs(ch, database: str, ids: str, params: dict, inputs: Inputs) -> None:
    durations = await ch.query(
        "SELECT toString(monitor_id),"
        " arrayMap(x -> x.2, arraySort(x -> -x.1, groupArrayIf((r, d), r <= {jr:UInt32}))),"
        " countIf(r > {jr:UInt32}), quantilesExactIf(0.25, 0.5, 0.75)(log(d), r > {jr:UInt32}),"
        " countIf(r > {jr:UInt32} AND near),"
        " quantilesExactIf(0.25, 0.5, 0.75)(log(d), r > {jr:UInt32} AND near)"
        f" FROM (SELECT monitor_id, assumeNotNull(duration_s) AS d, abs(((toUnixTimestamp("
        f"{_NOW}) - toUnixTimestamp(ended_at)) % 86400) - 43200) >= 39600 AS near,"
        " row_number() OVER"
        " (PARTITION BY monitor_id ORDER BY ended_at DESC, event_id DESC) AS r"
        f" FROM `{database}`.job_runs FINAL WHERE outcome = 'success'"
        f" AND duration_s > 0 AND {_RUNS_BACK}{ids})"
        " GROUP BY monitor_id",
        parameters=params,
    )
    timed = {
        m: (list(recent), int(n), tuple(q) if n else None, int(hn), tuple(hq) if hn else None)
        for m, recent, n, q, hn, hq in durations.result_rows
    }
    # Day 0 is the trailing 24 hours, day d the 24 hours d days before that.
    days = await ch.query(
        "SELECT toString(monitor_id), intDiv(dateDiff('second', ended_at,"
        f" {_NOW}), 86400) AS day, countIf(outcome IN ('success', 'failure')),"
        f" countIf(outcome = 'missed'), dateDiff('second', min(ended_at), {_NOW})"
        f" FROM `{database}`.job_runs FINAL WHERE {_RUNS_BACK}{ids}"
        " GROUP BY monitor_id, day",
        parameters=params,
    )
    per_day: dict[str, dict[int, tuple[int, int]]] = defaultdict(dict)
    age: dict[str, int] = {}
    for m, day, runs, missed, oldest_s in days.result_rows:
        per_day[m][int(day)] = (int(runs), int(missed))
        age[m] = max(age.get(m, 0), int(oldest_s))
    for m in set(timed) | set(per_day):
        recent, n, q, hn, hq = timed.get(m, ([], 0, None, 0, None))
        counts = per_day.get(m, {})
        # Only whole days after the first run read: before it the job did not exist.
        whole = min(HISTORY_DAYS - 1, age.get(m, 0) // 86400 - 1)
        inputs.jobs[m] = JobHistory(
            recent_s=[float(v) for v in recent],
            base_runs=n,
            base_log_q=q,  # type: ignore[arg-type]
            hour_runs=hn,
            hour_log_q=hq,  # type: ignore[arg-type]
            runs_today=counts.get(0, (0, 0))[0],
            runs_per_day=[counts.get(d, (0, 0))[0] for d in range(1, whole + 1)],
            missed_today=counts.get(0, (0, 0))[1],
        )


def _ms(value: float | None) -> float | None:
    if value is None or value != value:  # NaN: no answered check in the window
        return None
    return float(value)
