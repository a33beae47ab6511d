"""GET /metrics/monitors: per-monitor gauges for Prometheus. Outside /api/v1, so it
authenticates itself: the scrape token (UPMON_METRICS_SCRAPE_TOKEN) or any API key."""

from __future__ import annotations

import asyncio
import hmac

from aiohttp import web

from services.api import auth, metrics_snapshot, monitor_metrics, state
from services.api.routing import Route
from services.api.stores import monitor_metrics as store
from shared.logs import get

log = get("api")


async def _authorize(request: web.Request) -> None:
    token = state.of(request).settings.metrics_scrape_token
    sent = request.headers.get("Authorization", "").partition(" ")[2].strip()
    if token and sent and hmac.compare_digest(sent.encode(), token.encode()):
        return
    # Any key or login token will do: read is the least scope there is.
    await auth.authenticate(request)


async def _facts(st: state.ApiState) -> dict:
    """ClickHouse's part; without it the statuses from Postgres are still worth serving."""
    try:
        return await store.facts(st.ch, st.settings.clickhouse_database, st.monitor_metrics.uptime)
    except Exception as exc:  # any failure of ClickHouse: serve what Postgres has
        log.warning("monitor_metrics_facts_failed", error=f"{type(exc).__name__}: {exc}")
        return {}


async def _build(st: state.ApiState) -> metrics_snapshot.Snapshot:
    monitors, facts = await asyncio.gather(store.monitors(st.pool), _facts(st))
    # Rendering megabytes of text takes a while: off the event loop.
    return await asyncio.to_thread(
        lambda: metrics_snapshot.make(monitor_metrics.render(monitors, facts))
    )


async def monitor_gauges(request: web.Request) -> web.Response:
    await _authorize(request)
    st = state.of(request)
    snap = await st.monitor_metrics.get(lambda: _build(st), st.settings.metrics_monitors_max_age_s)
    gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
    resp = web.Response(body=snap.gzipped if gzipped else snap.body)
    resp.headers["Content-Type"] = monitor_metrics.CONTENT_TYPE
    if gzipped:
        resp.headers["Content-Encoding"] = "gzip"
    resp.headers["Vary"] = "Accept-Encoding"
    resp.headers["Age"] = str(int(snap.age_s()))
    return resp


ROUTES = [
    Route(
        "GET",
        "/metrics/monitors",
        monitor_gauges,
        "Per-monitor and per-region gauges in the Prometheus text format (a read key or"
        " the scrape token), from a snapshot at most UPMON_METRICS_MONITORS_MAX_AGE_S old.",
        operation="getMonitorMetrics",
        scope="read",
        media_type="text/plain",
    ),
]
