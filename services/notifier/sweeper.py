"""Time-driven alerts: reminders while an incident lasts, and escalation of an
incident nobody acknowledged. Rows are claimed with SKIP LOCKED, so notifier
replicas sweep side by side, and each event is written to the outbox in the
same transaction that moves the incident's next deadline."""

from __future__ import annotations

import asyncio
from datetime import datetime

import asyncpg

from services.notifier import store
from services.notifier.decide import monitor_ref, remind
from shared import db, outbox, topology
from shared.aio import sleep_or_stop
from shared.events import IncidentEscalated, IncidentRef, IncidentReminder, utcnow
from shared.logs import get
from shared.maintenance import Windows

log = get("notifier.sweeper")


async def sweep_once(pool: asyncpg.Pool, windows: Windows, now: datetime | None = None) -> int:
    now = now or utcnow()
    async with pool.acquire() as conn, conn.transaction():
        active = await windows.get(conn)
        sent = await _reminders(conn, active, now)
        sent += await _escalations(conn, now)
    return sent


def _incident_ref(row: store.DueIncident) -> IncidentRef:
    return IncidentRef(id=str(row.id), opened_at=row.opened_at, regions=list(row.regions))


async def _reminders(conn: asyncpg.Connection, windows, now: datetime) -> int:
    sent = 0
    for row in await store.due(conn, "reminder", now):
        m = row.monitor
        r = remind(m, row.next_reminder_at, windows, now)
        if r.send:
            event = IncidentReminder(
                monitor=monitor_ref(m),
                incident=_incident_ref(row),
                channel_ids=list(m.channel_ids),
                reminder=row.reminders_sent + 1,
            )
            await outbox.enqueue(conn, topology.incident_subject("reminder", m.id), event)
            sent += 1
        await store.next_reminder(conn, row.id, r.following, sent=r.send)
    return sent


async def _escalations(conn: asyncpg.Connection, now: datetime) -> int:
    sent = 0
    for row in await store.due(conn, "escalation", now):
        m = row.monitor
        if m.escalation:
            event = IncidentEscalated(
                monitor=monitor_ref(m),
                incident=_incident_ref(row),
                channel_ids=list(m.escalation.channel_ids),
            )
            await outbox.enqueue(conn, topology.incident_subject("escalated", m.id), event)
            sent += 1
        await store.escalated(conn, row.id, now)
    return sent


async def run(pool: asyncpg.Pool, windows: Windows, stop: asyncio.Event, every_s: float) -> None:
    while not stop.is_set():
        try:
            await sweep_once(pool, windows)
        except Exception as exc:
            if not db.unavailable(exc):
                raise
            log.warning("sweep_failed", error=repr(exc))
        await sleep_or_stop(stop, every_s)
