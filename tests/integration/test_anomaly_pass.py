"""The notifier's anomaly pass on real Postgres and ClickHouse: one incident of kind
anomaly per regression, its event in the outbox for the channels that opted in, nothing
twice when passes repeat, and a clearing once the monitor is back to normal."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import msgspec

from services.notifier import anomalies
from shared import anomaly_data
from shared.events import AnomalyCleared, AnomalyDetected, any_decoder
from shared.maintenance import Windows
from tests.conftest import store_monitor
from tests.integration.test_anomaly_data import every, history, insert_runs, recent
from tests.integration.test_rollups import insert_rows
from tests.integration.test_scheduler import make_monitor

SPANS = anomaly_data.Spans(window_s=60, step_s=10, failure_window_s=120, lag_s=0, consecutive=1)


async def outbox_events(pool) -> list:
    rows = await pool.fetch("SELECT payload FROM outbox ORDER BY id")
    return [any_decoder.decode(r["payload"]) for r in rows]


async def channel(pool, events: list[str]) -> str:
    cid = str(uuid.uuid4())
    await pool.execute(
        "INSERT INTO channels (id, name, kind, config, events) VALUES ($1, 'c', 'webhook', $2, $3)",
        uuid.UUID(cid),
        {"url": "http://127.0.0.1:9/"},
        events,
    )
    return cid


async def test_a_slow_monitor_opens_one_anomaly_incident_and_clears_when_back(settings, ch, pool):
    db = settings.clickhouse_database
    now = datetime.now(UTC).replace(microsecond=0)
    opted, plain = await channel(pool, ["down", "up", "anomaly"]), await channel(pool, ["down"])
    slow = make_monitor(name="slow", channel_ids=[opted, plain], regions=["eu"])
    calm = make_monitor(name="calm", regions=["eu"])
    for m in (slow, calm):
        await store_monitor(pool, m)
        await insert_rows(ch, db, m.id, history(now, 22, 20.0))
    await insert_rows(ch, db, slow.id, recent(now, 90, 80.0))
    await insert_rows(ch, db, calm.id, recent(now, 90, 20.0))
    windows = Windows(ttl_s=0)

    first = await anomalies.run_pass(pool, ch, db, SPANS, windows, now=now)
    again = await anomalies.run_pass(pool, ch, db, SPANS, windows, now=now)

    assert [(m.name, f.metric) for m, _, f, _ in first.detected] == [("slow", "latency_p50")]
    assert again.detected == []
    rows = await pool.fetch("SELECT * FROM incidents")
    assert [(str(r["monitor_id"]), r["kind"], r["metric"], r["status"]) for r in rows] == [
        (slow.id, "anomaly", "latency_p50", "open")
    ]
    state = await pool.fetchval("SELECT count(*) FROM monitor_state")
    assert state == 0  # an anomaly is not an outage: the monitor's status is untouched
    (event,) = await outbox_events(pool)
    assert isinstance(event, AnomalyDetected)
    assert event.channel_ids == [opted]
    assert (event.anomaly.current, event.anomaly.baseline, event.anomaly.severity) == (
        80.0,
        20.0,
        "high",
    )

    later = now + timedelta(minutes=2)
    await insert_rows(ch, db, slow.id, recent(later, 90, 20.0))
    cleared = await anomalies.run_pass(pool, ch, db, SPANS, windows, now=later)

    assert [(m.name, o.ref.metric) for m, o in cleared.cleared] == [("slow", "latency_p50")]
    status = await pool.fetchval("SELECT status FROM incidents WHERE kind = 'anomaly'")
    assert status == "resolved"
    events = await outbox_events(pool)
    assert [type(e) for e in events] == [AnomalyDetected, AnomalyCleared]
    assert events[1].incident.id == event.incident.id


async def test_monitors_in_maintenance_or_opted_out_open_nothing(settings, ch, pool):
    db = settings.clickhouse_database
    now = datetime.now(UTC).replace(microsecond=0)
    quiet = make_monitor(name="quiet", regions=["eu"], tags=["maint"])
    off = make_monitor(name="off", regions=["eu"], anomaly={"enabled": False})
    off = msgspec.convert(msgspec.to_builtins(off), type(off))
    for m in (quiet, off):
        await store_monitor(pool, m)
        await insert_rows(ch, db, m.id, history(now, 22, 20.0))
        await insert_rows(ch, db, m.id, recent(now, 90, 400.0))
    await pool.execute(
        "INSERT INTO maintenance_windows (id, name, tags, starts_at, ends_at)"
        " VALUES ($1, 'm', '{maint}', $2, $3)",
        uuid.uuid4(),
        now - timedelta(hours=1),
        now + timedelta(hours=1),
    )

    result = await anomalies.run_pass(pool, ch, db, SPANS, Windows(ttl_s=0), now=now)

    assert result.detected == []
    assert await pool.fetchval("SELECT count(*) FROM incidents") == 0


async def test_a_job_gone_slow_opens_one_anomaly_incident_for_the_whole_monitor(settings, ch, pool):
    db = settings.clickhouse_database
    now = datetime.now(UTC).replace(microsecond=0)
    opted = await channel(pool, ["anomaly"])
    job = make_monitor(
        name="backup", kind="heartbeat", target="", channel_ids=[opted], regions=["eu"]
    )
    await store_monitor(pool, job)
    await insert_runs(ch, db, job.id, every(now - timedelta(hours=1), 60, 3, 60.0))
    slow = [(now - timedelta(minutes=m), "success", 200.0) for m in (5, 15, 25)]
    await insert_runs(ch, db, job.id, slow)
    windows = Windows(ttl_s=0)

    first = await anomalies.run_pass(pool, ch, db, SPANS, windows, now=now)
    again = await anomalies.run_pass(pool, ch, db, SPANS, windows, now=now)

    assert [(m.name, r, f.metric) for m, r, f, _ in first.detected] == [
        ("backup", "*", "job_duration")
    ]
    assert again.detected == []
    row = await pool.fetchrow("SELECT * FROM incidents")
    assert (row["kind"], row["metric"], row["regions"]) == ("anomaly", "job_duration", ["*"])
    assert row["cause"] == "job runs take 200 s, usually 60 s (x3.333, high)"
    (event,) = await outbox_events(pool)
    assert isinstance(event, AnomalyDetected) and event.channel_ids == [opted]
    assert (event.anomaly.metric, event.anomaly.seasonality) == ("job_duration", "rolling")

    later = now + timedelta(minutes=40)
    fast = [(later - timedelta(minutes=m), "success", 61.0) for m in (1, 2, 3)]
    await insert_runs(ch, db, job.id, fast)
    cleared = await anomalies.run_pass(pool, ch, db, SPANS, windows, now=later)

    assert [o.ref.metric for _, o in cleared.cleared] == ["job_duration"]
    assert [type(e) for e in await outbox_events(pool)] == [AnomalyDetected, AnomalyCleared]
