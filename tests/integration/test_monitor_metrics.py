"""GET /metrics/monitors on real Postgres and ClickHouse: per-monitor, per-region
gauges that Prometheus' own promtool accepts, behind a key or the scrape token."""

from __future__ import annotations

import dataclasses
import subprocess
import uuid
from datetime import timedelta

import msgspec
import pytest
from aiohttp.test_utils import TestClient, TestServer

from services.api import keys
from services.api.app import build_app
from services.api.state import ApiState
from services.recorder.rows import COLUMNS, row
from shared.events import CheckResult, utcnow
from tests.conftest import eventually
from tests.debian_tools import tool
from tests.integration.conftest import Api

TOKEN = "scrape-token-for-tests"


@pytest.fixture
async def scrape(settings, nc, js, pool, ch):
    s = msgspec.structs.replace(settings, metrics_scrape_token=TOKEN, metrics_monitors_max_age_s=0)
    state = ApiState(settings=s, pool=pool, nc=nc, js=js, ch=ch)
    _, admin_key = await keys.create_api_key(pool, "test admin", "admin")
    async with TestClient(TestServer(build_app(state))) as client:
        yield Api(client, admin_key)


def _result(mid: str, region: str, minutes_ago: int, status: str, latency: float | None):
    at = utcnow() - timedelta(minutes=minutes_ago)
    return CheckResult(
        check_id=f"{mid}:{region}:{minutes_ago}",
        monitor_id=mid,
        region=region,
        scheduled_at=at,
        checked_at=at + timedelta(seconds=1),
        status=status,
        latency_ms=latency,
        cert_expires_at=at + timedelta(days=30) if latency else None,
    )


async def _seed(scrape: Api, pool, ch, settings) -> dict:
    monitor = await scrape.monitor(name='shop "eu"', regions=["eu", "us"], tags=["shop", "team-a"])
    await scrape.monitor(name="paused one", paused=True)
    mid = monitor["id"]
    await pool.execute(
        "INSERT INTO monitor_state (monitor_id, status, regions) VALUES ($1, 'degraded', $2)",
        uuid.UUID(mid),
        {"eu": {"status": "up"}, "us": {"status": "down"}},
    )
    results = [
        _result(mid, "eu", 3, "up", 120.0),
        _result(mid, "eu", 2, "down", None),
        _result(mid, "eu", 1, "up", 250.0),
        _result(mid, "us", 1, "down", None),
    ]
    table = f"`{settings.clickhouse_database}`.check_results"
    await ch.insert(table, [row(r) for r in results], column_names=COLUMNS)
    return monitor


async def test_gauges_per_monitor_and_region_pass_promtool(scrape, pool, ch, settings):
    monitor = await _seed(scrape, pool, ch, settings)
    reply = await scrape.call("GET", "/metrics/monitors", key=TOKEN)

    assert reply.status == 200, reply.body
    assert reply.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    text = reply.body
    eu = f'id="{monitor["id"]}",name="shop \\"eu\\"",kind="http",region="eu",tags="shop,team-a"'
    us = eu.replace('region="eu"', 'region="us"')
    assert f"upmon_monitor_up{{{eu}}} 1\n" in text
    assert f"upmon_monitor_up{{{us}}} 0\n" in text
    assert f'upmon_monitor_status{{{us},status="down"}} 1\n' in text
    assert f"upmon_monitor_latency_seconds{{{eu}}} 0.25\n" in text
    assert f"upmon_monitor_uptime_24h_ratio{{{eu}}} {2 / 3!r}\n" in text
    assert f"upmon_monitor_uptime_24h_ratio{{{us}}} 0.0\n" in text
    assert f"upmon_monitor_cert_expiry_timestamp_seconds{{{eu}}}" in text
    assert 'name="paused one"' in text and 'status="paused"} 1' in text
    up_lines = [line for line in text.splitlines() if line.startswith("upmon_monitor_up{")]
    assert not [line for line in up_lines if 'name="paused one"' in line]

    promtool = tool("promtool", "prometheus")
    checked = subprocess.run(
        [str(promtool), "check", "metrics"], input=text, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.strip() == "" and checked.stderr.strip() == ""


async def test_scrape_needs_the_token_or_a_key(scrape, pool):
    _, read_key = await keys.create_api_key(pool, "reader", "read")
    anonymous = await scrape.call("GET", "/metrics/monitors", key=None)
    wrong = await scrape.call("GET", "/metrics/monitors", key="not-the-token")
    with_key = await scrape.call("GET", "/metrics/monitors", key=read_key)

    assert anonymous.status == 401 and anonymous.headers["Content-Type"].startswith(
        "application/problem+json"
    )
    assert wrong.status == 401
    assert with_key.status == 200 and "# TYPE upmon_monitor_up gauge" in with_key.body


async def test_a_snapshot_is_served_until_it_is_older_than_the_max_age(settings, nc, js, pool, ch):
    s = msgspec.structs.replace(settings, metrics_scrape_token=TOKEN, metrics_monitors_max_age_s=60)
    state = ApiState(settings=s, pool=pool, nc=nc, js=js, ch=ch)
    _, admin_key = await keys.create_api_key(pool, "test admin", "admin")
    async with TestClient(TestServer(build_app(state))) as client:
        api = Api(client, admin_key)

        async def scrape() -> str:
            return (await api.call("GET", "/metrics/monitors", key=TOKEN)).body

        await api.monitor(name="first")
        before = await scrape()
        await api.monitor(name="second")
        cached = await scrape()
        held = state.monitor_metrics.snapshot
        state.monitor_metrics.snapshot = dataclasses.replace(held, made_at=held.made_at - 120)
        stale = await scrape()

        async def refreshed() -> bool:
            return 'name="second"' in await scrape()

        assert 'name="first"' in before and cached == before
        assert stale == before  # answered at once while the refresh runs
        await eventually(refreshed, timeout=10)
