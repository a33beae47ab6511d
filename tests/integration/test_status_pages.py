"""Status pages: managed through the API, read by anyone as JSON or HTML, with
daily uptime from the hour rollup."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from services.api import keys
from tests.integration.test_rollups import Row, insert_rows

PAGES = "/api/v1/status-pages"


async def set_status(pool, monitor_id: str, status: str) -> None:
    await pool.execute(
        "INSERT INTO monitor_state (monitor_id, status) VALUES ($1, $2)",
        uuid.UUID(monitor_id),
        status,
    )


async def add_incident(pool, monitor_id: str, status: str) -> str:
    incident_id = uuid.uuid4()
    await pool.execute(
        "INSERT INTO incidents (id, monitor_id, status, cause, opened_at)"
        " VALUES ($1, $2, $3, 'connect to 10.0.0.5:443 refused', now() - interval '1 hour')",
        incident_id,
        uuid.UUID(monitor_id),
        status,
    )
    return str(incident_id)


async def page(api, slug: str, monitor_ids: list[str], **fields) -> dict:
    body = {"slug": slug, "title": "Shop", "monitor_ids": monitor_ids, **fields}
    reply = await api.call("POST", PAGES, body)
    assert reply.status == 201, reply.body
    return reply.body


async def test_pages_are_created_listed_and_deleted(api, pool):
    mid = (await api.monitor())["id"]
    created = await page(api, "shop", [mid, mid])

    assert created["monitor_ids"] == [mid] and created["public"] is True
    assert created["url"].endswith("/status/shop")
    clash = await api.call("POST", PAGES, {"slug": "shop", "title": "x", "monitor_ids": []})
    assert clash.status == 409 and clash.body["errors"][0]["field"] == "slug"
    _, reader = await keys.create_api_key(pool, "reader", "read")
    assert (await api.call("GET", PAGES, key=reader)).body["items"] == [created]
    forbidden = await api.call("POST", PAGES, {"slug": "x", "title": "x"}, key=reader)
    assert forbidden.status == 403
    assert (await api.call("DELETE", f"{PAGES}/shop")).status == 204
    assert (await api.call("DELETE", f"{PAGES}/shop")).status == 404
    assert (await api.call("GET", PAGES)).body["items"] == []


async def test_bad_pages_are_422_naming_the_field(api):
    unknown = str(uuid.uuid4())
    cases = [
        ({"slug": "Shop Page", "title": "x"}, "slug"),
        ({"slug": "x" * 65, "title": "x"}, "slug"),
        ({"slug": "shop", "title": ""}, "title"),
        ({"slug": "shop", "title": "x", "monitor_ids": [unknown]}, "monitor_ids"),
        ({"slug": "shop", "title": "x", "monitor_ids": ["42"]}, "monitor_ids"),
    ]
    for body, field in cases:
        reply = await api.call("POST", PAGES, body)

        assert reply.status == 422, body
        assert reply.body["errors"][0]["field"] == field, body
    reply = await api.call("POST", PAGES, cases[3][0])
    assert unknown in reply.body["errors"][0]["message"]


def days_ago(n: int, minute: int) -> datetime:
    day = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=n) + timedelta(minutes=minute)


async def test_public_json_shows_status_daily_uptime_and_open_incidents(api, ch, pool, settings):
    shop, blog, gone = [(await api.monitor(name=n))["id"] for n in ("shop", "blog", "gone")]
    await set_status(pool, shop, "down")
    await set_status(pool, blog, "up")
    statuses = ["up", "up", "down", "missed", "degraded"]
    rows = [Row(days_ago(3, 60 + i), s) for i, s in enumerate(statuses)]
    rows += [Row(days_ago(89, 600), "up"), Row(days_ago(89, 600), "down", region="us")]
    rows += [Row(days_ago(95, 600), "down")]
    await insert_rows(ch, settings.clickhouse_database, shop, rows)
    await insert_rows(ch, settings.clickhouse_database, shop, rows[2:3])  # redelivered
    open_id = await add_incident(pool, shop, "acknowledged")
    await add_incident(pool, shop, "resolved")
    await page(api, "shop", [blog, shop, gone])
    await api.call("DELETE", f"/api/v1/monitors/{gone}")

    reply = await api.call("GET", "/api/v1/status/shop", key=None)

    assert reply.status == 200, reply.body
    assert reply.headers["Cache-Control"] == "public, max-age=30"
    body = reply.body
    assert (body["slug"], body["title"], body["overall"]) == ("shop", "Shop", "down")
    assert [(m["name"], m["status"]) for m in body["monitors"]] == [
        ("blog", "up"),
        ("shop", "down"),
    ]
    blog_view, shop_view = body["monitors"]
    assert blog_view["uptime_90d"] is None and {d["checks"] for d in blog_view["days"]} == {0}
    days = shop_view["days"]
    assert len(days) == 90 and days[-1]["date"] == datetime.now(UTC).date().isoformat()
    assert [d["date"] for d in days] == sorted(d["date"] for d in days)
    by_date = {d["date"]: (d["checks"], d["uptime_pct"]) for d in days if d["checks"]}
    assert by_date == {
        days_ago(3, 0).date().isoformat(): (4, 75.0),
        days_ago(89, 0).date().isoformat(): (2, 50.0),
    }
    assert shop_view["uptime_90d"] == round(100 * 4 / 6, 3)
    [incident] = body["incidents"]
    assert incident["id"] == open_id and incident["monitor_name"] == "shop"
    assert "cause" not in incident and "10.0.0.5" not in str(body)


async def test_html_page_escapes_names_and_draws_90_bars(api, pool):
    evil = "<script>alert(1)</script>"
    mid = (await api.monitor(name=evil))["id"]
    await set_status(pool, mid, "up")
    await page(api, "evil", [mid], title='Shop & "Co" <b>')

    reply = await api.call("GET", "/status/evil", key=None)

    assert reply.status == 200
    assert reply.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in reply.headers["Content-Security-Policy"]
    html = reply.body
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<h1>Shop &amp; &quot;Co&quot; &lt;b&gt;</h1>" in html
    assert html.count('class="bar ') == 90
    assert "All systems operational" in html and "No open incidents." in html
    assert "src=" not in html and "href=" not in html


async def test_private_page_is_404_without_credentials(api):
    mid = (await api.monitor())["id"]
    await page(api, "internal", [mid], public=False)

    for path in ("/api/v1/status/internal", "/status/internal"):
        for key in (None, "upm_forged"):
            hidden = await api.call("GET", path, key=key)
            assert hidden.status == 404, (path, key)
            assert hidden.body == (await api.call("GET", path.replace("internal", "nope"))).body
        shown = await api.call("GET", path)
        assert shown.status == 200 and shown.headers["Cache-Control"] == "private, no-store"
