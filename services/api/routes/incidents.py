"""Incidents, newest first (read-only here; the notifier opens and resolves them)."""

from __future__ import annotations

import uuid
from datetime import datetime

from aiohttp import web

from services.api import cursor, jsonio, params, state
from services.api.routing import Param, Route
from services.api.schemas import INCIDENT_STATUSES, IncidentList, IncidentStatus
from services.api.stores import incidents as store


async def list_incidents(request: web.Request) -> web.Response:
    items, last = await store.page(
        state.of(request).pool,
        limit=params.limit(request),
        status=params.choice(request, "status", INCIDENT_STATUSES),
        monitor_id=params.uuid_query(request, "monitor_id"),
        before=cursor.decode(params.text(request, "cursor"), tuple[datetime, uuid.UUID]),
    )
    return jsonio.reply(IncidentList(items, cursor.encode(*last) if last else None))


ROUTES = [
    Route(
        "GET",
        "/api/v1/incidents",
        list_incidents,
        "List incidents, newest first.",
        scope="read",
        response=IncidentList,
        query=(
            Param("status", IncidentStatus, "Only incidents in this status."),
            Param("monitor_id", uuid.UUID, "Only incidents of this monitor."),
            params.LIMIT,
            params.CURSOR,
        ),
    ),
]
