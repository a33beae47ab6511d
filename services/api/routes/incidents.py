"""Incidents: the notifier opens and auto-resolves them; people acknowledge and
resolve them here. A manual resolution is announced through the outbox like any
other, so channels hear of it once."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec
from aiohttp import web

from services.api import cursor, jsonio, params, state
from services.api.auth import PRINCIPAL
from services.api.problems import ApiError, not_found
from services.api.routing import Param, Route
from services.api.schemas import (
    INCIDENT_STATUSES,
    DeliveryAttempt,
    DeliveryList,
    IncidentList,
    IncidentStatus,
    IncidentView,
)
from services.api.stores import incidents as store
from services.api.stores.sessions import LoginSession
from shared import outbox, secret_fields, topology
from shared.events import IncidentRef, IncidentResolved, MonitorRef
from shared.monitors import Monitor


async def list_incidents(request: web.Request) -> web.Response:
    items, last = await store.page(
        state.of(request).pool,
        limit=params.limit(request),
        status=params.choice(request, "status", INCIDENT_STATUSES),
        monitor_id=params.uuid_query(request, "monitor_id"),
        before=cursor.decode(params.text(request, "cursor"), tuple[datetime, uuid.UUID]),
    )
    return jsonio.reply(IncidentList(items, cursor.encode(*last) if last else None))


async def get_incident(request: web.Request) -> web.Response:
    incident = await store.get(state.of(request).pool, params.path_id(request, "incident"))
    if incident is None:
        raise not_found("incident")
    return jsonio.reply(incident)


def _who(request: web.Request) -> str:
    principal = request[PRINCIPAL]
    kind = "user" if isinstance(principal, LoginSession) else "api-key"
    return f"{kind}:{principal.name}"


async def acknowledge(request: web.Request) -> web.Response:
    incident_id = params.path_id(request, "incident")
    async with state.of(request).pool.acquire() as conn, conn.transaction():
        incident = await _locked(conn, incident_id)
        if incident.status == "resolved":
            raise ApiError(409, "Conflict", "the incident is resolved already")
        await store.acknowledge(conn, incident_id, _who(request))
        incident = await store.get(conn, incident_id)
    return jsonio.reply(incident)


async def resolve(request: web.Request) -> web.Response:
    incident_id = params.path_id(request, "incident")
    async with state.of(request).pool.acquire() as conn, conn.transaction():
        incident = await _locked(conn, incident_id)
        if incident.status != "resolved":
            await store.resolve(conn, incident_id, _who(request))
            incident = await store.get(conn, incident_id)
            # An anomaly resolved by hand is not a recovery to announce as "up".
            if incident.kind == "down":
                await _announce(conn, incident)
    return jsonio.reply(incident)


async def list_deliveries(request: web.Request) -> web.Response:
    incident_id = params.path_id(request, "incident")
    pool = state.of(request).pool
    if await store.get(pool, incident_id) is None:
        raise not_found("incident")
    rows = await store.deliveries(pool, incident_id)
    return jsonio.reply(DeliveryList([msgspec.convert(r, DeliveryAttempt) for r in rows]))


async def _locked(conn, incident_id: uuid.UUID) -> IncidentView:
    incident = await store.get(conn, incident_id, lock=True)
    if incident is None:
        raise not_found("incident")
    return incident


async def _announce(conn, incident: IncidentView) -> None:
    doc = await conn.fetchval(
        "SELECT doc FROM monitors WHERE id = $1", uuid.UUID(incident.monitor_id)
    )
    if doc is None:
        return
    m = msgspec.convert(doc, Monitor)
    event = IncidentResolved(
        monitor=MonitorRef(
            id=m.id, name=m.name, kind=m.kind, target=secret_fields.shown_target(m.target)
        ),
        incident=IncidentRef(
            id=incident.id,
            opened_at=incident.opened_at,
            resolved_at=incident.resolved_at,
            resolved_by=incident.resolved_by,
            regions=incident.regions,
        ),
        channel_ids=list(m.channel_ids),
    )
    await outbox.enqueue(conn, topology.incident_subject("resolved", m.id), event)


_ONE = "/api/v1/incidents/{id}"
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
    Route("GET", _ONE, get_incident, "One incident.", scope="read", response=IncidentView),
    Route(
        "POST",
        f"{_ONE}/ack",
        acknowledge,
        "Acknowledge an open incident: it stops escalating and still resolves on recovery.",
        scope="write",
        response=IncidentView,
    ),
    Route(
        "POST",
        f"{_ONE}/resolve",
        resolve,
        "Resolve an incident by hand; its channels are told once.",
        scope="write",
        response=IncidentView,
    ),
    Route(
        "GET",
        f"{_ONE}/deliveries",
        list_deliveries,
        "Every notification attempt for this incident, oldest first.",
        scope="read",
        response=DeliveryList,
    ),
]
