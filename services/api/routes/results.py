"""A monitor's check results and statistics, from ClickHouse."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from aiohttp import web

from services.api import cursor, jsonio, params, state
from services.api.problems import invalid_field, not_found
from services.api.routing import Param, Route
from services.api.schemas import ResultList, Stats
from services.api.stores import monitors as monitor_store
from services.api.stores import results as store
from services.api.stores import runs as run_store

HOUR = 3600
Window = Literal["1h", "24h", "7d", "30d", "90d"]
WINDOWS = {"1h": HOUR, "24h": 24 * HOUR, "7d": 7 * 24 * HOUR, "30d": 30 * 24 * HOUR}
WINDOWS["90d"] = 90 * 24 * HOUR
DEFAULT_WINDOW = "24h"


async def _monitor_id(request: web.Request) -> uuid.UUID:
    monitor_id = params.path_id(request, "monitor")
    if not await monitor_store.exists(state.of(request).pool, monitor_id):
        raise not_found("monitor")
    return monitor_id


async def list_results(request: web.Request) -> web.Response:
    monitor_id = await _monitor_id(request)
    since, until = params.timestamp(request, "since"), params.timestamp(request, "until")
    if since and until and since >= until:
        raise invalid_field("until", "must be after since")
    st = state.of(request)
    items, last = await store.results(
        st.ch,
        st.settings.clickhouse_database,
        monitor_id,
        limit=params.limit(request),
        since=since,
        until=until,
        region=params.text(request, "region"),
        before=cursor.decode(params.text(request, "cursor"), tuple[datetime, str]),
    )
    return jsonio.reply(ResultList(items, cursor.encode(*last) if last else None))


async def get_stats(request: web.Request) -> web.Response:
    monitor_id = await _monitor_id(request)
    window = params.choice(request, "window", WINDOWS) or DEFAULT_WINDOW
    st = state.of(request)
    db = st.settings.clickhouse_database
    found = await store.stats(st.ch, db, monitor_id, window, WINDOWS[window])
    found.runs = await run_store.stats(st.ch, db, monitor_id, WINDOWS[window])
    return jsonio.reply(found)


ROUTES = [
    Route(
        "GET",
        "/api/v1/monitors/{id}/results",
        list_results,
        "Check results, newest first.",
        operation="listMonitorResults",
        scope="read",
        response=ResultList,
        query=(
            Param("since", datetime, "Only checks scheduled at or after this RFC 3339 time."),
            Param("until", datetime, "Only checks scheduled before this time."),
            Param("region", str, "Only checks from this region."),
            params.LIMIT,
            params.CURSOR,
        ),
    ),
    Route(
        "GET",
        "/api/v1/monitors/{id}/stats",
        get_stats,
        "Uptime, failures and latency over a window, overall and per region.",
        operation="getMonitorStats",
        scope="read",
        response=Stats,
        query=(Param("window", Window, f"The period to cover (default {DEFAULT_WINDOW})."),),
    ),
]
