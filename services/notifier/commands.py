"""Manual changes to incidents, asked by the api over request/reply: acknowledge
(escalation stops, recovery still resolves it) and resolve by hand (announced
once, and the monitor's state lets go of it so recovery does not resolve it again).
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime

import asyncpg
import msgspec
from nats.aio.client import Client

from services.notifier import responder, store
from services.notifier.decide import OpenIncident, resolved_event
from shared import db, incident_commands, outbox, topology
from shared.events import encoder
from shared.incident_commands import IncidentCommandReply, Outcome
from shared.logs import get

log = get("notifier.commands")


async def answer(pool: asyncpg.Pool, raw: bytes) -> IncidentCommandReply:
    try:
        cmd = incident_commands.command_decoder.decode(raw)
        incident_id = str(uuid.UUID(cmd.incident_id))
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError) as exc:
        return IncidentCommandReply(outcome="invalid", detail=f"bad incident command: {exc}")
    change = acknowledge if cmd.action == "acknowledge" else resolve
    try:
        async with pool.acquire() as conn, conn.transaction():
            outcome = await change(conn, incident_id, cmd.by)
    except Exception as exc:
        if not db.unavailable(exc):
            raise
        return IncidentCommandReply(outcome="unavailable", detail=f"postgres: {exc}")
    log.info("incident_command", action=cmd.action, incident_id=incident_id, outcome=outcome)
    return IncidentCommandReply(outcome=outcome)


async def acknowledge(conn: asyncpg.Connection, incident_id: str, by: str) -> Outcome:
    incident = await store.lock_incident(conn, incident_id)
    if incident is None:
        return "not_found"
    if incident.status == "resolved":
        return "conflict"
    await store.acknowledge(conn, incident_id, by)
    return "done"


async def resolve(conn: asyncpg.Connection, incident_id: str, by: str) -> Outcome:
    monitor_id = await store.incident_monitor(conn, incident_id)
    if monitor_id is None:
        return "not_found"
    # The state first, as a batch of results locks it: then the incident, never the reverse.
    await store.lock_state(conn, monitor_id)
    incident = await store.lock_incident(conn, incident_id)
    if incident is None:
        return "not_found"
    if incident.status == "resolved":
        return "done"
    at = await store.resolve_by_hand(conn, incident_id, by)
    await store.detach_incident(conn, incident_id)
    # An anomaly resolved by hand is not a recovery to announce as "up".
    if incident.kind == "down":
        await _announce(conn, incident, at, by)
    return "done"


async def _announce(
    conn: asyncpg.Connection, incident: store.IncidentRow, at: datetime, by: str
) -> None:
    m = await store.monitor(conn, incident.monitor_id)
    if m is None:
        return
    ref = OpenIncident(id=incident.id, opened_at=incident.opened_at, regions=incident.regions)
    event = resolved_event(m, ref, at, by)
    await outbox.enqueue(conn, topology.incident_subject("resolved", m.id), event)


async def serve(nc: Client, pool: asyncpg.Pool, stop: asyncio.Event) -> None:
    async def reply(raw: bytes) -> bytes:
        return encoder.encode(await answer(pool, raw))

    await responder.serve(
        nc,
        incident_commands.SUBJECT,
        incident_commands.QUEUE,
        reply,
        stop,
        drain_s=incident_commands.TIMEOUT_S,
    )
