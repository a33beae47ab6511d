"""Maintenance windows: one-off or recurring (cron in a time zone). Checks keep
running during a window; nothing alerts and monitors show `maintenance`."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec
from aiohttp import web

from services.api import jsonio, params, state
from services.api.problems import invalid_field, not_found
from services.api.routing import Route
from services.api.schemas import MaintenanceCreate, MaintenanceList, MaintenanceView
from services.api.stores import maintenance as store
from shared import maintenance
from shared.bounds import plain
from shared.events import utcnow


def _validate(body: MaintenanceCreate) -> list[uuid.UUID]:
    if not body.monitor_ids and not body.tags:
        raise invalid_field("monitor_ids", "give monitor_ids or tags (or both)")
    try:
        maintenance.check(body.starts_at, body.ends_at, body.cron, body.duration_s, body.timezone)
    except maintenance.WindowError as exc:
        raise invalid_field(exc.field, str(exc)) from None
    ids = []
    for i, raw in enumerate(body.monitor_ids):
        try:
            ids.append(uuid.UUID(raw))
        except ValueError:
            raise invalid_field(f"monitor_ids[{i}]", "is not a monitor id") from None
    return ids


async def insert(conn, body: MaintenanceCreate) -> MaintenanceView:
    """Validate and store a window (`upmon apply` stores its windows through here too)."""
    return await store.insert(conn, body, _validate(body))


async def create(request: web.Request) -> web.Response:
    body = await jsonio.body(request, MaintenanceCreate)
    return jsonio.reply(await insert(state.of(request).pool, body), 201)


async def list_windows(request: web.Request) -> web.Response:
    return jsonio.reply(MaintenanceList(await store.live(state.of(request).pool)))


async def delete(request: web.Request) -> web.Response:
    window_id = params.path_id(request, "maintenance window")
    if not await store.soft_delete(state.of(request).pool, window_id):
        raise not_found("maintenance window")
    return web.Response(status=204)


class PreviewRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    cron: Annotated[str, plain(120, 1)]
    duration_s: Annotated[int, msgspec.Meta(ge=1, le=31 * 86_400)]
    timezone: Annotated[str, plain(64, 1)] = "UTC"
    count: Annotated[int, msgspec.Meta(ge=1, le=50)] = 5


class Occurrence(msgspec.Struct, kw_only=True):
    starts_at: datetime
    ends_at: datetime


class Preview(msgspec.Struct, kw_only=True):
    timezone: str
    occurrences: list[Occurrence]


async def preview(request: web.Request) -> web.Response:
    body = await jsonio.body(request, PreviewRequest)
    try:
        maintenance.check(None, None, body.cron, body.duration_s, body.timezone)
    except maintenance.WindowError as exc:
        raise invalid_field(exc.field, str(exc)) from None
    found = maintenance.occurrences(body.cron, body.duration_s, body.timezone, utcnow(), body.count)
    return jsonio.reply(
        Preview(
            timezone=body.timezone,
            occurrences=[Occurrence(starts_at=a, ends_at=b) for a, b in found],
        )
    )


ROUTES = [
    Route(
        "POST",
        "/api/v1/maintenance:preview",
        preview,
        "The next occurrences of a recurring window (cron, duration, time zone), in UTC.",
        operation="previewMaintenanceWindow",
        scope="read",
        body=PreviewRequest,
        response=Preview,
    ),
    Route(
        "POST",
        "/api/v1/maintenance",
        create,
        "Create a maintenance window (one-off, or recurring by cron in a time zone).",
        operation="createMaintenanceWindow",
        scope="write",
        body=MaintenanceCreate,
        response=MaintenanceView,
        status=201,
    ),
    Route(
        "GET",
        "/api/v1/maintenance",
        list_windows,
        "List maintenance windows, with whether each is active now.",
        operation="listMaintenanceWindows",
        scope="read",
        response=MaintenanceList,
    ),
    Route(
        "DELETE",
        "/api/v1/maintenance/{id}",
        delete,
        "Delete a maintenance window.",
        operation="deleteMaintenanceWindow",
        scope="write",
        status=204,
    ),
]
