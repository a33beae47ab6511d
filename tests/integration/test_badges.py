"""Badges: public SVGs of a monitor's status and uptime, cacheable for 30 s."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest

from services.api import badges
from tests.integration.test_rollups import Row, insert_rows
from tests.integration.test_status_pages import set_status

SVG = "{http://www.w3.org/2000/svg}"


def parsed(reply) -> tuple[list[str], list[str]]:
    """The texts drawn (each once, without its shadow) and the fill colours."""
    root = ElementTree.fromstring(reply.body)
    texts = [t.text for t in root.iter(f"{SVG}text") if t.get("fill-opacity") is None]
    fills = [r.get("fill") for r in root.iter(f"{SVG}rect")]
    assert root.get("aria-label") == ": ".join(texts)
    return texts, fills


async def test_status_badge_is_a_public_cacheable_svg(api, pool):
    mid = (await api.monitor())["id"]
    await set_status(pool, mid, "down")

    reply = await api.call("GET", f"/badge/{mid}/status.svg", key=None)

    assert reply.status == 200
    assert reply.headers["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert reply.headers["Cache-Control"] == "max-age=30"
    texts, fills = parsed(reply)
    assert texts == ["status", "down"] and badges.RED in fills
    paused = (await api.monitor(paused=True))["id"]
    assert parsed(await api.call("GET", f"/badge/{paused}/status.svg", key=None))[0][1] == "paused"


async def test_uptime_badge_reads_the_window_from_the_hour_rollup(api, ch, settings):
    mid = (await api.monitor())["id"]
    now = datetime.now(UTC)
    recent = [Row(now - timedelta(minutes=10 + i), "up") for i in range(7)]
    recent.append(Row(now - timedelta(minutes=30), "down"))
    older = [Row(now - timedelta(days=20), "down"), Row(now - timedelta(days=20, minutes=1))]
    await insert_rows(ch, settings.clickhouse_database, mid, recent + older)

    day = await api.call("GET", f"/badge/{mid}/uptime.svg?window=24h", key=None)
    month = await api.call("GET", f"/badge/{mid}/uptime.svg", key=None)

    assert day.status == month.status == 200
    texts, fills = parsed(day)
    assert texts == ["uptime 24h", "87.5%"] and badges.RED in fills
    assert parsed(month)[0] == ["uptime 30d", "80%"]
    fresh = (await api.monitor(name="new"))["id"]
    assert parsed(await api.call("GET", f"/badge/{fresh}/uptime.svg", key=None))[0][1] == "no data"


@pytest.mark.parametrize(
    ("path", "status", "field"),
    [
        ("/badge/{unknown}/status.svg", 404, None),
        ("/badge/not-an-id/uptime.svg", 404, None),
        ("/badge/{known}/uptime.svg?window=1y", 422, "window"),
    ],
)
async def test_bad_badge_requests_are_problems_not_svgs(api, path, status, field):
    known = (await api.monitor())["id"]

    reply = await api.call("GET", path.format(known=known, unknown=uuid.uuid4()), key=None)

    assert reply.status == status
    assert reply.headers["Content-Type"] == "application/problem+json"
    if field:
        assert reply.body["errors"][0]["field"] == field


@pytest.mark.parametrize(
    ("checks", "answered", "message", "color"),
    [
        (0, 0, "no data", badges.LIGHT_GREY),
        (100_000, 99_996, "99.99%", badges.GREEN),
        (1_000_000, 999_999, "99.99%", badges.GREEN),
        (10_000, 9_999, "99.99%", badges.GREEN),
        (1_000, 999, "99.9%", badges.GREEN),
        (1_000, 995, "99.5%", badges.LIGHT_GREEN),
        (100, 95, "95%", badges.YELLOW),
        (100, 90, "90%", badges.ORANGE),
        (100, 89, "89%", badges.RED),
        (7, 7, "100%", badges.GREEN),
    ],
)
def test_uptime_message_rounds_down_and_picks_a_colour(checks, answered, message, color):
    assert badges.uptime_message(checks, answered) == (message, color)


def test_badge_width_follows_the_text_and_escapes_it():
    short, long = badges.render("a", "b", badges.GREEN), badges.render("a", "b" * 30, badges.GREEN)

    def width(svg: str) -> int:
        return int(ElementTree.fromstring(svg).get("width"))

    assert width(long) > width(short) + 150
    assert "&lt;x&gt; &amp; &quot;" in badges.render('<x> & "', "ok", badges.GREEN)
