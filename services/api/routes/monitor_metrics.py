"""GET /metrics/monitors: per-monitor gauges for Prometheus. Outside /api/v1, so it
authenticates itself: the scrape token (UPMON_METRICS_SCRAPE_TOKEN) or any API key."""

from __future__ import annotations

import asyncio
import hmac

from aiohttp import web

from services.api import auth, monitor_metrics, state
from services.api.routing import Route
from services.api.stores import monitor_metrics as store


async def _authorize(request: web.Request) -> None:
    token = state.of(request).settings.metrics_scrape_token
    sent = request.headers.get("Authorization", "").partition(" ")[2].strip()
    if token and sent and hmac.compare_digest(sent.encode(), token.encode()):
        return
    # Any key or login token will do: read is the least scope there is.
    await auth.authenticate(request)


async def monitor_gauges(request: web.Request) -> web.Response:
    await _authorize(request)
    st = state.of(request)
    monitors, facts = await asyncio.gather(
        store.monitors(st.pool), store.facts(st.ch, st.settings.clickhouse_database)
    )
    text = monitor_metrics.render(monitors, facts)
    resp = web.Response(body=text.encode())
    resp.headers["Content-Type"] = monitor_metrics.CONTENT_TYPE
    return resp


ROUTES = [
    Route(
        "GET",
        "/metrics/monitors",
        monitor_gauges,
        "Per-monitor and per-region gauges in the Prometheus text format (a read key or"
        " the scrape token).",
        scope="read",
        media_type="text/plain",
    ),
]
