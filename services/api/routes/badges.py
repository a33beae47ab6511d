"""Public SVG badges of a monitor's status and uptime, for READMEs and wikis.

Anyone who knows a monitor's id may read them, as with any shields.io badge.
Badges are fetched by every page view that shows one: each is drawn at most once
per 30 s (services/api/cache.py), and other caches may keep it as long."""

from __future__ import annotations

import uuid
from typing import Literal

from aiohttp import web

from services.api import badges, params, state
from services.api.problems import not_found
from services.api.routing import Param, Route
from services.api.schemas import MonitorView
from services.api.stores import monitors as monitor_store
from services.api.stores import rollups

DAY = 86_400
Window = Literal["24h", "7d", "30d", "90d"]
WINDOWS = {"24h": DAY, "7d": 7 * DAY, "30d": 30 * DAY, "90d": 90 * DAY}
DEFAULT_WINDOW = "30d"
CACHE = {"Cache-Control": "max-age=30"}


async def _monitor(request: web.Request) -> MonitorView:
    st = state.of(request)
    monitor_id = params.path_id(request, "monitor")
    monitor = await monitor_store.view(st.pool, monitor_id, st.settings.public_url)
    if monitor is None:
        raise not_found("monitor")
    return monitor


def _svg(text: str) -> web.Response:
    return web.Response(text=text, content_type="image/svg+xml", charset="utf-8", headers=CACHE)


async def _status_svg(request: web.Request) -> str:
    monitor = await _monitor(request)
    return badges.render("status", monitor.status, badges.status_color(monitor.status))


async def _uptime_svg(request: web.Request, window: str) -> str:
    monitor = await _monitor(request)
    st = state.of(request)
    seen = await rollups.uptime(
        st.ch, st.settings.clickhouse_database, uuid.UUID(monitor.id), WINDOWS[window]
    )
    message, color = badges.uptime_message(seen.checks, seen.answered)
    return badges.render(f"uptime {window}", message, color)


async def status_badge(request: web.Request) -> web.Response:
    key = ("status.svg", params.path_id(request, "monitor"))
    return _svg(await state.of(request).public_cache.get(key, lambda: _status_svg(request)))


async def uptime_badge(request: web.Request) -> web.Response:
    window = params.choice(request, "window", WINDOWS) or DEFAULT_WINDOW
    key = ("uptime.svg", params.path_id(request, "monitor"), window)
    cache = state.of(request).public_cache
    return _svg(await cache.get(key, lambda: _uptime_svg(request, window)))


ROUTES = [
    Route(
        "GET",
        "/badge/{id}/status.svg",
        status_badge,
        "A monitor's current status as an SVG badge.",
        operation="renderStatusBadge",
        media_type="image/svg+xml",
    ),
    Route(
        "GET",
        "/badge/{id}/uptime.svg",
        uptime_badge,
        "A monitor's uptime over a window as an SVG badge.",
        operation="renderUptimeBadge",
        media_type="image/svg+xml",
        query=(Param("window", Window, f"The period to cover (default {DEFAULT_WINDOW})."),),
    ),
]
