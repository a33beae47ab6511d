"""The anomaly detectors' inputs, read from real ClickHouse rollups and raw results."""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime, timedelta

import msgspec
import pytest

from services.recorder.rows import RUN_COLUMNS, run_row
from shared import anomaly, anomaly_data
from shared.anomaly import AnomalySpec
from shared.events import JobRun
from tests.integration.test_rollups import Row, insert_rows

SPANS = anomaly_data.Spans(window_s=60, step_s=10, failure_window_s=120, lag_s=0, consecutive=3)


def history(now: datetime, days: int, ms: float) -> list[Row]:
    """One check every 10 minutes for `days` days before the current hour."""
    start = now.replace(minute=0, second=0, microsecond=0) - timedelta(days=days)
    count = days * 144
    return [Row(at=start + timedelta(minutes=10 * i), latency_ms=ms) for i in range(count)]


def recent(now: datetime, seconds: int, ms: float | None, every_s: float = 1.0) -> list[Row]:
    status = "up" if ms is not None else "down"
    return [
        Row(at=now - timedelta(seconds=seconds - i * every_s), latency_ms=ms, status=status)
        for i in range(int(seconds / every_s))
    ]


async def test_a_monitor_slower_than_its_past_weeks_is_judged_a_latency_anomaly(settings, ch):
    db = settings.clickhouse_database
    now = datetime.now(UTC).replace(microsecond=0)
    slow, steady = str(uuid.uuid4()), str(uuid.uuid4())
    for monitor in (slow, steady):
        await insert_rows(ch, db, monitor, history(now, 22, 20.0))
    await insert_rows(ch, db, slow, recent(now, 90, 80.0))
    await insert_rows(ch, db, steady, recent(now, 90, 21.0))

    inputs = await anomaly_data.read(ch, db, [slow, steady], SPANS, now=now)

    key = (slow, "eu")
    assert len(inputs.windows[key]) == 3 and inputs.windows[key][-1].answered == 60
    assert inputs.windows[key][-1].log_mean == pytest.approx(math.log(80.0))
    base = anomaly.baseline(inputs.hours[key])
    assert base.seasonality == "hour_of_week" and base.p50_ms == 20.0
    verdict = anomaly.judge(
        AnomalySpec(), inputs.hours[key], inputs.windows[key], inputs.failures[key]
    )
    assert [(f.metric, f.current, f.severity) for f in verdict.detected] == [
        ("latency_p50", 80.0, "high")
    ]
    calm = (steady, "eu")
    verdict = anomaly.judge(
        AnomalySpec(), inputs.hours[calm], inputs.windows[calm], inputs.failures[calm]
    )
    assert verdict.detected == [] and verdict.baseline is not None


async def test_a_window_is_judged_on_the_same_trimmed_mean_the_detector_defines(settings, ch):
    db = settings.clickhouse_database
    now = datetime.now(UTC).replace(microsecond=0)
    monitor = str(uuid.uuid4())
    values = [5.0, 7.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 900.0, 4000.0, None, 30.0]
    rows = [
        Row(at=now - timedelta(seconds=12 - i), latency_ms=v, status="up" if v else "down")
        for i, v in enumerate(values)
    ]
    await insert_rows(ch, db, monitor, rows)

    inputs = await anomaly_data.read(ch, db, [monitor], SPANS, now=now)

    newest = inputs.windows[(monitor, "eu")][-1]
    assert newest.answered == 11
    expected = anomaly.trimmed_log_mean([v for v in values if v])
    assert newest.log_mean == pytest.approx(expected, rel=1e-6)


async def test_failures_of_the_window_are_counted_and_only_named_monitors_are_read(settings, ch):
    db = settings.clickhouse_database
    now = datetime.now(UTC).replace(microsecond=0)
    flaky, other = str(uuid.uuid4()), str(uuid.uuid4())
    for monitor in (flaky, other):
        await insert_rows(ch, db, monitor, history(now, 4, 20.0))
    await insert_rows(
        ch, db, flaky, recent(now, 60, None) + recent(now - timedelta(seconds=60), 60, 20.0)
    )

    inputs = await anomaly_data.read(ch, db, [flaky], SPANS, now=now)

    assert set(inputs.hours) == {(flaky, "eu")}
    window = inputs.failures[(flaky, "eu")]
    assert (window.checks, window.answered) == (120, 60)
    verdict = anomaly.judge(AnomalySpec(), inputs.hours[(flaky, "eu")], [], window)
    assert [f.metric for f in verdict.detected] == ["failure_rate"]
    assert verdict.baseline.seasonality == "daily"


async def insert_runs(ch, database: str, monitor_id: str, runs: list[tuple]) -> None:
    """(ended_at, outcome, duration_s) runs, projected as the recorder projects them."""
    events = [
        JobRun(monitor_id=monitor_id, outcome=o, ended_at=at, duration_s=d, late=o == "missed")
        for at, o, d in runs
    ]
    await ch.insert(f"{database}.job_runs", [run_row(e) for e in events], column_names=RUN_COLUMNS)


def every(now: datetime, minutes: int, days: float, seconds: float, outcome="success") -> list:
    """A run every `minutes` for `days` days, 5 minutes off the day boundaries."""
    count = int(days * 1440 / minutes)
    return [(now - timedelta(minutes=minutes * i + 5), outcome, seconds) for i in range(count)]


async def test_a_job_gone_slow_and_idle_is_read_and_judged_from_its_runs(settings, ch):
    db = settings.clickhouse_database
    now = datetime.now(UTC).replace(microsecond=0)
    job, calm = str(uuid.uuid4()), str(uuid.uuid4())
    # Every 10 minutes for 8 days, 60 s each; today only its last 3 runs, at 150 s.
    past = [r for r in every(now, 10, 8, 60.0) if r[0] < now - timedelta(days=1)]
    await insert_runs(ch, db, job, past)
    await insert_runs(
        ch, db, job, [(now - timedelta(minutes=m), "success", 150.0) for m in (1, 2, 3)]
    )
    await insert_runs(ch, db, job, [(now - timedelta(hours=2), "missed", None)])
    await insert_runs(ch, db, calm, every(now, 10, 8, 60.0))

    inputs = await anomaly_data.read(ch, db, [job, calm], SPANS, now=now)

    slow = inputs.jobs[job]
    assert slow.recent_s == [60.0] * 7 + [150.0] * 3  # the newest JOB_RECENT, oldest first
    assert slow.base_runs == len(past) - 7
    assert slow.base_log_q[1] == pytest.approx(math.log(60.0))
    # Those within an hour of this time of day: 12 of the 144 a day, on 7 past days.
    assert 6 * 12 <= slow.hour_runs <= 7 * 13
    assert slow.hour_log_q[1] == pytest.approx(math.log(60.0))
    assert (slow.runs_today, slow.missed_today) == (3, 1)
    # The first run was just under 8 days ago: days 1 to 6 are whole, 144 runs each.
    assert slow.runs_per_day == [144] * 6
    verdict = anomaly.judge_job(AnomalySpec(), slow)
    assert [f.metric for f in verdict.detected] == ["job_duration"]  # 6 days: no workload yet
    steady = inputs.jobs[calm]
    assert steady.runs_today == 144 and len(steady.runs_per_day) == 6
    assert anomaly.judge_job(AnomalySpec(), steady).detected == []
    # With a week of whole days, the idle day is a workload anomaly too.
    week = msgspec.structs.replace(slow, runs_per_day=[144] * 7)
    assert [f.metric for f in anomaly.judge_job(AnomalySpec(), week).detected] == [
        "job_duration",
        "job_runs",
    ]
