"""Time-driven alerts: reminders while an incident lasts, and escalation of an
incident nobody acknowledged. Rows are claimed with SKIP LOCKED, so notifier
replicas sweep side by side, and each event is written to the outbox in the
same transaction that moves the incident's next deadline."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timedelta

import asyncpg
import msgspec

from shared import outbox, secret_fields, topology
from shared.events import IncidentEscalated, IncidentRef, IncidentReminder, MonitorRef, utcnow
from shared.logs import get
from shared.maintenance import Windows, in_maintenance
from shared.monitors import Monitor

log = get("notifier.sweeper")
BATCH = 100


async def sweep_once(pool: asyncpg.Pool, windows: Windows, now: datetime | None = None) -> int:
    now = now or utcnow()
    async with pool.acquire() as conn, conn.transaction():
        active = await windows.get(conn)
        sent = await _reminders(conn, active, now)
        sent += await _escalations(conn, now)
    return sent


async def _due(conn: asyncpg.Connection, where: str, now: datetime) -> list:
    return await conn.fetch(
        "SELECT i.*, m.doc FROM incidents i JOIN monitors m ON m.id = i.monitor_id"
        f" WHERE {where} ORDER BY i.opened_at LIMIT {BATCH} FOR UPDATE OF i SKIP LOCKED",
        now,
    )


def _refs(row) -> tuple[Monitor, MonitorRef, IncidentRef]:
    m = msgspec.convert(row["doc"], Monitor)
    ref = IncidentRef(id=str(row["id"]), opened_at=row["opened_at"], regions=list(row["regions"]))
    return (
        m,
        MonitorRef(id=m.id, name=m.name, kind=m.kind, target=secret_fields.shown_target(m.target)),
        ref,
    )


async def _reminders(conn: asyncpg.Connection, windows, now: datetime) -> int:
    sent = 0
    for row in await _due(conn, "i.status <> 'resolved' AND i.next_reminder_at <= $1", now):
        m, monitor, incident = _refs(row)
        if not m.reminder_every_s:
            await conn.execute(
                "UPDATE incidents SET next_reminder_at = NULL WHERE id = $1", row["id"]
            )
            continue
        every = timedelta(seconds=m.reminder_every_s)
        # After a stall, one reminder, then back on the cadence: no burst of stale ones.
        following = max(row["next_reminder_at"] + every, now + every / 2)
        quiet = in_maintenance(windows, m, now)
        if not quiet:
            number = row["reminders_sent"] + 1
            event = IncidentReminder(
                monitor=monitor, incident=incident, channel_ids=list(m.channel_ids), reminder=number
            )
            await outbox.enqueue(conn, topology.incident_subject("reminder", m.id), event)
            sent += 1
        await conn.execute(
            "UPDATE incidents SET next_reminder_at = $2, reminders_sent = reminders_sent + $3"
            " WHERE id = $1",
            row["id"],
            following,
            0 if quiet else 1,
        )
    return sent


async def _escalations(conn: asyncpg.Connection, now: datetime) -> int:
    sent = 0
    where = "i.status = 'open' AND i.escalated_at IS NULL AND i.escalate_at <= $1"
    for row in await _due(conn, where, now):
        m, monitor, incident = _refs(row)
        if m.escalation:
            event = IncidentEscalated(
                monitor=monitor, incident=incident, channel_ids=list(m.escalation.channel_ids)
            )
            await outbox.enqueue(conn, topology.incident_subject("escalated", m.id), event)
            sent += 1
        await conn.execute("UPDATE incidents SET escalated_at = $2 WHERE id = $1", row["id"], now)
    return sent


async def run(pool: asyncpg.Pool, windows: Windows, stop: asyncio.Event, every_s: float) -> None:
    while not stop.is_set():
        try:
            await sweep_once(pool, windows)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            log.warning("sweep_failed", error=repr(exc))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_s)
