"""Incidents: the notifier opens and auto-resolves them; people acknowledge and
resolve them here, as commands the notifier (their only writer) carries out and
answers. A manual resolution is announced once, like any other."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec
import nats.errors
from aiohttp import web

from services.api import cursor, jsonio, params, state
from services.api.auth import PRINCIPAL
from services.api.problems import ApiError, no_notifier, not_found, silence
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
from shared import incident_commands
from shared.events import encoder
from shared.incident_commands import Action, IncidentCommand, IncidentCommandReply


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
    return await _change(request, "acknowledge")


async def resolve(request: web.Request) -> web.Response:
    return await _change(request, "resolve")


async def list_deliveries(request: web.Request) -> web.Response:
    incident_id = params.path_id(request, "incident")
    pool = state.of(request).pool
    if await store.get(pool, incident_id) is None:
        raise not_found("incident")
    rows = await store.deliveries(pool, incident_id)
    return jsonio.reply(DeliveryList([msgspec.convert(r, DeliveryAttempt) for r in rows]))


async def _change(request: web.Request, action: Action) -> web.Response:
    """The notifier owns incidents: it makes the change and says how it went, then
    the incident is read back as it now is."""
    incident_id = params.path_id(request, "incident")
    st = state.of(request)
    ask = IncidentCommand(incident_id=str(incident_id), action=action, by=_who(request))
    try:
        msg = await st.nc.request(
            incident_commands.SUBJECT, encoder.encode(ask), timeout=incident_commands.TIMEOUT_S
        )
        reply = incident_commands.reply_decoder.decode(msg.data)
    except nats.errors.Error as exc:
        raise no_notifier("changes incidents", silence(exc)) from None
    except (msgspec.DecodeError, msgspec.ValidationError):
        raise no_notifier("changes incidents", "its answer was unreadable") from None
    _raise_for(reply)
    incident = await store.get(st.pool, incident_id)
    if incident is None:
        raise not_found("incident")
    return jsonio.reply(incident)


def _raise_for(reply: IncidentCommandReply) -> None:
    if reply.outcome == "not_found":
        raise not_found("incident")
    if reply.outcome == "conflict":
        raise ApiError(409, "Conflict", "the incident is resolved already")
    if reply.outcome == "invalid":
        raise ApiError(400, "Bad Request", reply.detail or "the notifier refused the command")
    if reply.outcome == "unavailable":
        raise no_notifier("changes incidents", "it cannot reach its database")


_ONE = "/api/v1/incidents/{id}"
ROUTES = [
    Route(
        "GET",
        "/api/v1/incidents",
        list_incidents,
        "List incidents, newest first.",
        operation="listIncidents",
        scope="read",
        response=IncidentList,
        query=(
            Param("status", IncidentStatus, "Only incidents in this status."),
            Param("monitor_id", uuid.UUID, "Only incidents of this monitor."),
            params.LIMIT,
            params.CURSOR,
        ),
    ),
    Route(
        "GET",
        _ONE,
        get_incident,
        "One incident.",
        operation="getIncident",
        scope="read",
        response=IncidentView,
    ),
    Route(
        "POST",
        f"{_ONE}/ack",
        acknowledge,
        "Acknowledge an open incident: it stops escalating and still resolves on recovery.",
        operation="acknowledgeIncident",
        scope="write",
        response=IncidentView,
    ),
    Route(
        "POST",
        f"{_ONE}/resolve",
        resolve,
        "Resolve an incident by hand; its channels are told once.",
        operation="resolveIncident",
        scope="write",
        response=IncidentView,
    ),
    Route(
        "GET",
        f"{_ONE}/deliveries",
        list_deliveries,
        "Every notification attempt for this incident, oldest first.",
        operation="listIncidentDeliveries",
        scope="read",
        response=DeliveryList,
    ),
]
