"""What the api serves for the dashboard, without a browser: the static files at
/ui/ and GET /api/v1/monitors:summary (24 hours of uptime per monitor in one read
of the hour rollup), on real Postgres and ClickHouse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer

from services.api import keys, openapi, routes
from services.api.app import build_app
from services.api.state import ApiState
from tests.integration.conftest import Api
from tests.integration.test_rollups import Row, insert_rows

SUMMARY = "/api/v1/monitors:summary"


@pytest.fixture
async def api(settings, nc, js, pool, ch):
    state = ApiState(settings=settings, pool=pool, nc=nc, js=js, ch=ch)
    _, admin_key = await keys.create_api_key(pool, "dashboard test", "admin")
    async with TestClient(TestServer(build_app(state))) as client:
        yield Api(client, admin_key)


async def test_the_dashboard_is_served_at_ui_without_credentials(api):
    client = api.client
    for path in ("/", "/ui"):
        async with client.get(path, allow_redirects=False) as resp:
            assert (resp.status, resp.headers["Location"]) == (302, "/ui/")

    async with client.get("/ui/") as resp:
        page = await resp.text()
        assert resp.status == 200 and resp.content_type == "text/html"
        assert '<script type="module" src="app.js">' in page
        csp = resp.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp
    for name, kind in [("app.js", "text/javascript"), ("app.css", "text/css")]:
        async with client.get(f"/ui/{name}") as resp:
            assert (resp.status, resp.content_type) == (200, kind)
            etag = resp.headers["ETag"]
        async with client.get(f"/ui/{name}", headers={"If-None-Match": etag}) as resp:
            assert resp.status == 304


@pytest.mark.parametrize("path", ["/ui/missing.js", "/ui/..%2Fapp.py", "/ui/%2e%2e/__init__.py"])
async def test_only_the_dashboards_own_files_are_served(api, path):
    async with api.client.get(path) as resp:
        assert resp.status == 404
        assert resp.content_type == "application/problem+json"


async def test_summary_needs_credentials(api):
    assert (await api.call("GET", SUMMARY, key=None)).status == 401


async def test_summary_gives_each_monitor_its_hourly_uptime_over_24_hours(api, ch, settings):
    busy = await api.monitor(name="busy")
    quiet = await api.monitor(name="quiet")
    first = await api.call("GET", SUMMARY)
    since = datetime.fromisoformat(first.body["since"])
    now = datetime.now(UTC)
    assert since == now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=23)
    three_hours_ago = since + timedelta(hours=20, minutes=10)
    this_hour = since + timedelta(hours=23)
    rows = [
        # Two regions each check the same slot: four checks, one of them failed.
        Row(three_hours_ago, region="eu", latency_ms=10.0),
        Row(three_hours_ago, region="us", latency_ms=30.0),
        Row(three_hours_ago + timedelta(seconds=60), region="eu", latency_ms=20.0),
        Row(three_hours_ago + timedelta(seconds=60), region="us", status="down"),
        Row(this_hour, region="eu", latency_ms=40.0),
        # Outside the window, and a slot that never ran: neither counts.
        Row(since - timedelta(hours=2), region="eu", status="down"),
        Row(this_hour, region="us", status="missed"),
    ]
    await insert_rows(ch, settings.clickhouse_database, busy["id"], rows)
    # A redelivered result counts once.
    await insert_rows(ch, settings.clickhouse_database, busy["id"], rows[3:4])

    reply = await api.call("GET", SUMMARY)

    assert reply.status == 200, reply.body
    by_name = {m["name"]: m for m in reply.body["items"]}
    assert [m["name"] for m in reply.body["items"]] == ["busy", "quiet"]
    got = by_name["busy"]
    assert (got["id"], got["status"], got["kind"]) == (busy["id"], "pending", "http")
    assert (got["checks"], got["uptime_pct"]) == (5, 80.0)
    assert got["latency_avg_ms"] == pytest.approx(25.0, abs=0.01)
    expected_pct = [None] * 24
    expected_pct[20], expected_pct[23] = 75.0, 100.0
    assert got["hourly_uptime_pct"] == expected_pct
    assert got["hourly_checks"] == [0] * 20 + [4, 0, 0, 1]
    assert by_name["quiet"]["id"] == quiet["id"]
    assert (by_name["quiet"]["checks"], by_name["quiet"]["uptime_pct"]) == (0, None)
    assert by_name["quiet"]["hourly_uptime_pct"] == [None] * 24


async def test_summary_pages_with_the_api_cursor_and_filters(api):
    for n in range(3):
        await api.monitor(name=f"m{n}", tags=["odd"] if n % 2 else [])

    page1 = await api.call("GET", f"{SUMMARY}?limit=2")
    page2 = await api.call("GET", f"{SUMMARY}?limit=2&cursor={page1.body['next_cursor']}")
    tagged = await api.call("GET", f"{SUMMARY}?tag=odd")
    paused = await api.call("GET", f"{SUMMARY}?status=paused")
    bad = await api.call("GET", f"{SUMMARY}?limit=0")

    assert [m["name"] for m in page1.body["items"]] == ["m0", "m1"]
    assert [m["name"] for m in page2.body["items"]] == ["m2"] and page2.body["next_cursor"] is None
    assert [m["name"] for m in tagged.body["items"]] == ["m1"]
    assert paused.body["items"] == []
    assert bad.status == 422 and bad.body["errors"][0]["field"] == "limit"


def test_summary_is_described_in_openapi():
    spec = openapi.build(routes.ALL)
    op = spec["paths"][SUMMARY]["get"]

    assert op["x-required-scope"] == "read"
    ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/MonitorSummaryList")
    assert {p["name"] for p in op["parameters"]} == {"tag", "status", "limit", "cursor"}
