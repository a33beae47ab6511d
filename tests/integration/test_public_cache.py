"""Badges and public status pages come from a 30 s in-process cache: a flood of
anonymous reads costs ClickHouse one query per monitor, window or page."""

from __future__ import annotations

from tests.integration.test_status_pages import page

SELECTS = "SELECT value FROM system.events WHERE event = 'SelectQuery'"


async def selects(ch) -> int:
    """SELECTs ClickHouse has run so far, not counting this one."""
    return int((await ch.query(SELECTS)).result_rows[0][0])


async def test_uptime_badges_query_clickhouse_once_per_monitor_and_window(api, ch):
    mid = (await api.monitor())["id"]
    before = await selects(ch)
    for _ in range(20):
        reply = await api.call("GET", f"/badge/{mid}/uptime.svg", key=None)
        assert reply.status == 200 and reply.headers["Cache-Control"] == "max-age=30"
    day = await api.call("GET", f"/badge/{mid}/uptime.svg?window=24h", key=None)
    assert "uptime 24h" in day.body

    # One query for 30d, one for 24h, and the counting query itself.
    assert await selects(ch) - before == 3


async def test_status_pages_query_clickhouse_once_for_many_readers(api, ch):
    await page(api, "shop", [(await api.monitor())["id"]])
    before = await selects(ch)
    for path in ("/status/shop", "/api/v1/status/shop") * 10:
        assert (await api.call("GET", path, key=None)).status == 200
    assert await selects(ch) - before == 2
    # Access is checked on every read: a deleted page is gone at once, cache or not.
    assert (await api.call("DELETE", "/api/v1/status-pages/shop")).status == 204
    assert (await api.call("GET", "/status/shop", key=None)).status == 404
    # Made again under the same slug with other monitors, it shows them at once.
    await page(api, "shop", [(await api.monitor(name="checkout"))["id"]])
    again = await api.call("GET", "/api/v1/status/shop", key=None)
    assert [m["name"] for m in again.body["monitors"]] == ["checkout"]
