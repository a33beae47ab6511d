"""The anomaly detectors' inputs, read from real ClickHouse rollups and raw results."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from shared import anomaly, anomaly_data
from shared.anomaly import AnomalySpec
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
