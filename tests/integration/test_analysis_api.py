"""Analysis on demand through the api and the CLI: the detectors run now on real
ClickHouse data and nothing opens; trends compare a monitor with its previous period."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from tests.conftest import settings_env
from tests.integration.test_anomaly_data import history, recent
from tests.integration.test_rollups import Row, insert_rows


async def slow_monitor(api, settings, ch) -> dict:
    m = await api.monitor(name="slowing", regions=["eu"])
    now = datetime.now(UTC).replace(microsecond=0)
    db = settings.clickhouse_database
    await insert_rows(ch, db, m["id"], history(now, 22, 20.0))
    # The default windows end 5 s back and span 10 minutes: a slow last quarter hour.
    await insert_rows(ch, db, m["id"], recent(now, 900, 90.0, every_s=10))
    return m


async def test_analysis_reports_the_anomaly_by_metric_and_severity_and_opens_nothing(
    api, settings, ch, pool
):
    m = await slow_monitor(api, settings, ch)
    calm = await api.monitor(name="new one")

    reply = await api.call("POST", "/api/v1/analysis", {})

    assert reply.status == 200, reply.body
    body = reply.body
    assert body["monitors_analysed"] == 2
    assert [(a["monitor_id"], a["metric"], a["severity"]) for a in body["anomalies"]] == [
        (m["id"], "latency_p50", "high")
    ]
    assert body["by_metric"] == {"latency_p50": 1} and body["by_severity"] == {"high": 1}
    assert any(calm["name"] in w for w in body["warnings"])
    assert await pool.fetchval("SELECT count(*) FROM incidents") == 0

    one = await api.call("POST", "/api/v1/analysis", {"monitor_id": calm["id"]})
    assert one.status == 200 and one.body["anomalies"] == [] and one.body["monitors_analysed"] == 1


async def test_analysis_of_an_unknown_or_malformed_monitor_is_a_4xx_naming_it(api):
    missing = await api.call(
        "POST", "/api/v1/analysis", {"monitor_id": "00000000-0000-4000-8000-000000000000"}
    )
    assert missing.status == 404
    bad = await api.call("POST", "/api/v1/analysis", {"monitor_id": "nope"})
    assert bad.status in (400, 422) and "monitor_id" in str(bad.body)


async def test_trends_compare_latency_and_failures_with_the_previous_period(api, settings, ch):
    m = await api.monitor(name="trending", regions=["eu"])
    db = settings.clickhouse_database
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    before = [Row(at=hour - timedelta(hours=30, minutes=i), latency_ms=20.0) for i in range(60)]
    now = [Row(at=hour - timedelta(hours=3, minutes=i), latency_ms=40.0) for i in range(50)]
    now += [Row(at=hour - timedelta(hours=4, minutes=i), status="down") for i in range(10)]
    await insert_rows(ch, db, m["id"], before + now)

    reply = await api.call("GET", f"/api/v1/monitors/{m['id']}/trends?window=24h")

    assert reply.status == 200, reply.body
    t = reply.body
    assert t["latency_p50_ms"]["previous"] == 20.0 and t["latency_p50_ms"]["current"] == 40.0
    assert t["latency_p50_ms"]["change_pct"] == 100.0
    assert t["latency_p50_ms"]["trend"] == "increasing"
    assert t["failure_rate"]["trend"] == "increasing" and t["checks"]["trend"] == "stable"
    bad = await api.call("GET", f"/api/v1/monitors/{m['id']}/trends?window=2y")
    assert bad.status == 422 and "window" in str(bad.body)


async def test_upmon_analyze_prints_the_same_analysis_and_a_monitors_trends(api, settings, ch):
    m = await slow_monitor(api, settings, ch)
    env = {**os.environ, **settings_env(settings)}
    run = subprocess.run(
        [sys.executable, "-m", "cli.main", "analyze", "--monitor", m["id"]],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert "1 anomaly" in run.stdout and "HIGH" in run.stdout and "latency_p50" in run.stdout
    assert "trends over 24h" in run.stdout
