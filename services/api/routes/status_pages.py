"""Status pages: managed with credentials, read by anyone when public.

A page that is not public answers 404 to anonymous readers, exactly as a page
that does not exist, so its slug reveals nothing; callers with credentials see it."""

from __future__ import annotations

import uuid
from datetime import date

import asyncpg
from aiohttp import web

from services.api import jsonio, state, status_html
from services.api.auth import authenticate
from services.api.problems import ApiError, invalid_field, not_found
from services.api.routing import Route
from services.api.stores import rollups
from services.api.stores import status_pages as store
from services.api.stores.status_pages import (
    PublicStatus,
    StatusDay,
    StatusMonitor,
    StatusPageCreate,
    StatusPageList,
    StatusPageView,
)
from shared.monitors import FieldError

DAYS = 90
# Worst first: the overall status is the first of these any monitor has.
_SEVERITY = ("down", "degraded", "maintenance", "up")


def _monitor_ids(raw: list[str]) -> list[uuid.UUID]:
    try:
        ids = [uuid.UUID(i) for i in raw]
    except ValueError:
        raise invalid_field("monitor_ids", "must be monitor ids (UUIDs)") from None
    return list(dict.fromkeys(ids))


async def create(request: web.Request) -> web.Response:
    body = await jsonio.body(request, StatusPageCreate)
    ids = _monitor_ids(body.monitor_ids)
    st = state.of(request)
    async with st.pool.acquire() as conn:
        missing = await store.missing_monitors(conn, ids)
        if missing:
            unknown = ", ".join(str(i) for i in missing)
            raise invalid_field("monitor_ids", f"no such monitor: {unknown}")
        try:
            page = await store.insert(conn, body, ids, st.settings.public_url)
        except asyncpg.UniqueViolationError:
            raise ApiError(
                409,
                "Conflict",
                f"a status page with slug '{body.slug}' exists already",
                [FieldError("slug", "is taken")],
            ) from None
    return jsonio.reply(page, 201)


async def list_pages(request: web.Request) -> web.Response:
    st = state.of(request)
    return jsonio.reply(StatusPageList(await store.list_all(st.pool, st.settings.public_url)))


async def delete(request: web.Request) -> web.Response:
    if not await store.delete(state.of(request).pool, request.match_info["slug"]):
        raise not_found("status page")
    return jsonio.no_content()


async def _signed_in(request: web.Request) -> bool:
    try:
        await authenticate(request)
    except ApiError:
        return False
    return True


async def _readable(request: web.Request) -> StatusPageView:
    st = state.of(request)
    page = await store.by_slug(st.pool, request.match_info["slug"], st.settings.public_url)
    if page is None or not (page.public or await _signed_in(request)):
        raise not_found("status page")
    return page


def _overall(statuses: list[str]) -> str:
    return next((s for s in _SEVERITY if s in statuses), "unknown")


def _monitor(
    m: dict, days: list[date], counts: dict[tuple[str, date], rollups.Counts]
) -> StatusMonitor:
    per_day = [counts.get((m["id"], d), rollups.Counts()) for d in days]
    bars = [
        StatusDay(date=d, uptime_pct=rollups.uptime_pct(*day), checks=day.checks)
        for d, day in zip(days, per_day, strict=True)
    ]
    checks = sum(day.checks for day in per_day)
    answered = sum(day.answered for day in per_day)
    return StatusMonitor(**m, uptime_90d=rollups.uptime_pct(checks, answered), days=bars)


async def _public(request: web.Request, page: StatusPageView) -> PublicStatus:
    st = state.of(request)
    found = await store.monitors(st.pool, page.monitor_ids)
    days = rollups.last_days(DAYS)
    ids = [uuid.UUID(m["id"]) for m in found]
    counts = await rollups.daily(st.ch, st.settings.clickhouse_database, ids, days[0])
    monitors = [_monitor(m, days, counts) for m in found]
    return PublicStatus(
        slug=page.slug,
        title=page.title,
        overall=_overall([m.status for m in monitors]),
        monitors=monitors,
        incidents=await store.open_incidents(st.pool, {m["id"]: m["name"] for m in found}),
    )


def _cache(page: StatusPageView) -> dict[str, str]:
    return {"Cache-Control": "public, max-age=30" if page.public else "private, no-store"}


async def _cached_public(request: web.Request, page: StatusPageView) -> PublicStatus:
    # Who may read the page is checked on every request (_readable); what it shows
    # costs ClickHouse and is the same for everyone, so it is computed once per 30 s.
    cache = state.of(request).public_cache
    # Keyed by the page's id, title and monitors: a page deleted and made again under
    # the same slug is a new entry, never the old one's content.
    key = ("status", page.id, page.title, tuple(page.monitor_ids))
    return await cache.get(key, lambda: _public(request, page))


async def public_json(request: web.Request) -> web.Response:
    page = await _readable(request)
    reply = jsonio.reply(await _cached_public(request, page))
    reply.headers.update(_cache(page))
    return reply


async def public_html(request: web.Request) -> web.Response:
    page = await _readable(request)
    text = status_html.render(await _cached_public(request, page))
    headers = {**status_html.HEADERS, **_cache(page)}
    return web.Response(text=text, content_type="text/html", charset="utf-8", headers=headers)


_ONE = "/api/v1/status-pages/{slug}"
ROUTES = [
    Route(
        "POST",
        "/api/v1/status-pages",
        create,
        "Create a status page showing some monitors.",
        operation="createStatusPage",
        scope="write",
        body=StatusPageCreate,
        response=StatusPageView,
        status=201,
    ),
    Route(
        "GET",
        "/api/v1/status-pages",
        list_pages,
        "List status pages.",
        operation="listStatusPages",
        scope="read",
        response=StatusPageList,
    ),
    Route(
        "DELETE",
        _ONE,
        delete,
        "Delete a status page.",
        operation="deleteStatusPage",
        scope="write",
        status=204,
    ),
    Route(
        "GET",
        "/api/v1/status/{slug}",
        public_json,
        "A status page as JSON: current status, 90 days of daily uptime, open incidents.",
        operation="getStatusPage",
        response=PublicStatus,
    ),
    Route(
        "GET",
        "/status/{slug}",
        public_html,
        "A status page as HTML.",
        operation="renderStatusPage",
        media_type="text/html",
    ),
]
