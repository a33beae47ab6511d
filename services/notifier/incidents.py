"""Applies check results to monitor_state in Postgres, one transaction per batch,
opening and resolving incidents and writing their events to the outbox in the
same transaction.

Each region has its own threshold state; the monitor is DOWN when a quorum of
its regions is. Duplicate and older results (per region) change nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import asyncpg
import msgspec

from services.notifier.state import State, apply, overall, quorum
from shared import outbox, secret_fields, topology
from shared.events import (
    CheckResult,
    Event,
    IncidentOpened,
    IncidentRef,
    IncidentResolved,
    MonitorRef,
    MonitorStateChanged,
    ResultRef,
)
from shared.maintenance import Window, in_maintenance
from shared.monitors import Monitor


class _Row(msgspec.Struct):
    status: str
    since: datetime | None
    regions: dict[str, State]
    applied: dict[str, str]
    last_checked_at: datetime | None
    # The newest result applied (a CheckResult) or, as read back, its stored summary.
    last_result: object
    open_incident_id: str | None
    failing: bool = False
    dirty: bool = False


@dataclass
class _Effects:
    """What a batch writes besides monitor_state, gathered to be written in bulk."""

    opened: list[tuple] = field(default_factory=list)
    resolved: list[tuple] = field(default_factory=list)
    events: list[tuple[str, Event]] = field(default_factory=list)
    # Open incidents of the batch's monitors: id -> (opened_at, regions).
    incidents: dict[str, tuple[datetime, list[str]]] = field(default_factory=dict)

    async def write(self, conn: asyncpg.Connection) -> None:
        if self.opened:
            await conn.executemany(
                "INSERT INTO incidents (id, monitor_id, status, cause, regions, first_result,"
                " opened_at, next_reminder_at, escalate_at)"
                " VALUES ($1, $2, 'open', $3, $4, $5, $6, $7, $8)",
                self.opened,
            )
        if self.resolved:
            await conn.executemany(
                "UPDATE incidents SET status = 'resolved', resolved_at = $2, resolved_by = 'auto'"
                " WHERE id = $1 AND status <> 'resolved'",
                self.resolved,
            )
        await outbox.enqueue_many(conn, self.events)


async def apply_batch(
    conn: asyncpg.Connection, results: list[CheckResult], windows: list[Window] = ()
) -> None:
    """Three statements read and lock everything the batch touches, one pipelined
    statement writes it back: the per-result cost is memory work, not round trips."""
    ids = sorted({r.monitor_id for r in results})
    monitors = await _load_monitors(conn, ids)
    rows = await _lock_states(conn, [i for i in ids if i in monitors])
    fx = _Effects(incidents=await _open_incidents(conn, rows.values()))
    for r in results:
        monitor = monitors.get(r.monitor_id)
        if monitor is None:
            continue  # deleted since the check ran
        quiet = in_maintenance(list(windows), monitor, r.checked_at)
        _apply_one(fx, monitor, rows[r.monitor_id], r, quiet)
    await fx.write(conn)
    await _save_states(conn, {k: v for k, v in rows.items() if v.dirty})


async def _open_incidents(conn: asyncpg.Connection, rows) -> dict:
    ids = [uuid.UUID(r.open_incident_id) for r in rows if r.open_incident_id]
    if not ids:
        return {}
    found = await conn.fetch(
        "SELECT id::text, opened_at, regions FROM incidents WHERE id = ANY($1::uuid[])", ids
    )
    return {f["id"]: (f["opened_at"], list(f["regions"])) for f in found}


def _apply_one(fx: _Effects, m: Monitor, row: _Row, r: CheckResult, quiet: bool) -> None:
    stamp = r.scheduled_at.isoformat()
    last = row.applied.get(r.region)
    if last is not None and last >= stamp:
        return
    row.applied[r.region] = stamp
    row.dirty = True
    row.last_checked_at = max(filter(None, [row.last_checked_at, r.checked_at]))
    row.last_result = r
    if m.paused or r.region not in m.regions:
        return
    row.regions[r.region], _ = apply(
        row.regions.get(r.region, State()),
        r.status,
        r.checked_at,
        m.failure_threshold,
        m.success_threshold,
        immediate=r.details.get("explicit") is True,
    )
    status, down = overall(row.regions, m.regions, quorum(len(m.regions), m.quorum))
    _announce_state(fx, m, row, status)
    if quiet:
        _set_status(row, "maintenance", r.checked_at)
        return
    if status == "down" and row.status != "down" and row.open_incident_id is None:
        row.open_incident_id = _open_incident(fx, m, r, down)
    elif status != "down" and row.open_incident_id is not None:
        # Our lock on the state row means nobody resolved it by hand meanwhile: the
        # api clears open_incident_id in the same transaction as a manual resolve.
        _resolve_incident(fx, m, r, row.open_incident_id)
        row.open_incident_id = None
    _set_status(row, status, r.checked_at)


def _announce_state(fx: _Effects, m: Monitor, row: _Row, status: str) -> None:
    """Tell the scheduler when the monitor starts or stops failing short of DOWN."""
    failing = status != "down" and any(s.consecutive_failures for s in row.regions.values())
    if failing == row.failing and status == row.status:
        return
    row.failing = failing
    event = MonitorStateChanged(monitor_id=m.id, status=status, failing=failing)
    fx.events.append((topology.incident_subject("state", m.id), event))


def _set_status(row: _Row, status: str, at: datetime) -> None:
    if row.status != status:
        row.status, row.since = status, at


def _monitor_ref(m: Monitor) -> MonitorRef:
    return MonitorRef(
        id=m.id, name=m.name, kind=m.kind, target=secret_fields.shown_target(m.target)
    )


def _result_ref(r: CheckResult) -> ResultRef:
    return ResultRef(
        status=r.status,
        error=r.error,
        http_status=r.http_status,
        latency_ms=r.latency_ms,
        region=r.region,
    )


def _open_incident(fx: _Effects, m: Monitor, r: CheckResult, regions: list[str]) -> str:
    incident_id = str(uuid.uuid4())
    opened = r.checked_at
    remind = opened + timedelta(seconds=m.reminder_every_s) if m.reminder_every_s else None
    escalate = opened + timedelta(seconds=m.escalation.after_s) if m.escalation else None
    fx.opened.append(
        (
            uuid.UUID(incident_id),
            uuid.UUID(m.id),
            r.error or f"check {r.status}",
            regions,
            msgspec.to_builtins(r),
            opened,
            remind,
            escalate,
        )
    )
    fx.incidents[incident_id] = (opened, regions)
    event = IncidentOpened(
        monitor=_monitor_ref(m),
        incident=IncidentRef(id=incident_id, opened_at=opened, regions=regions),
        result=_result_ref(r),
        channel_ids=list(m.channel_ids),
    )
    fx.events.append((topology.incident_subject("opened", m.id), event))
    return incident_id


def _resolve_incident(fx: _Effects, m: Monitor, r: CheckResult, incident_id: str) -> None:
    fx.resolved.append((uuid.UUID(incident_id), r.checked_at))
    opened_at, regions = fx.incidents.get(incident_id, (r.checked_at, []))
    event = IncidentResolved(
        monitor=_monitor_ref(m),
        incident=IncidentRef(
            id=incident_id,
            opened_at=opened_at,
            resolved_at=r.checked_at,
            resolved_by="auto",
            regions=regions,
        ),
        result=_result_ref(r),
        channel_ids=list(m.channel_ids),
    )
    fx.events.append((topology.incident_subject("resolved", m.id), event))


async def _load_monitors(conn: asyncpg.Connection, ids: list[str]) -> dict[str, Monitor]:
    rows = await conn.fetch(
        "SELECT id::text, doc FROM monitors WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL",
        ids,
    )
    return {r["id"]: msgspec.convert(r["doc"], Monitor) for r in rows}


async def _lock_states(conn: asyncpg.Connection, ids: list[str]) -> dict[str, _Row]:
    await conn.execute(
        "INSERT INTO monitor_state (monitor_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING",
        ids,
    )
    # Locked in id order, so replicas locking overlapping batches cannot deadlock.
    recs = await conn.fetch(
        "SELECT *, monitor_id::text AS mid FROM monitor_state"
        " WHERE monitor_id = ANY($1::uuid[]) ORDER BY monitor_id FOR UPDATE",
        ids,
    )
    return {rec["mid"]: _row(rec) for rec in recs}


def _row(rec: asyncpg.Record) -> _Row:
    return _Row(
        status=rec["status"],
        since=rec["since"],
        regions={k: State(**_state_fields(v)) for k, v in rec["regions"].items()},
        applied=dict(rec["applied"]),
        last_checked_at=rec["last_checked_at"],
        last_result=rec["last_result"],
        open_incident_id=str(rec["open_incident_id"]) if rec["open_incident_id"] else None,
        failing=rec["failing"],
    )


def _state_fields(doc: dict) -> dict:
    since = doc.get("since")
    return {**doc, "since": datetime.fromisoformat(since) if since else None}


async def _save_states(conn: asyncpg.Connection, rows: dict[str, _Row]) -> None:
    if not rows:
        return
    await conn.executemany(
        "UPDATE monitor_state SET status = $2, since = coalesce($3, since),"
        " consecutive_failures = $4, consecutive_successes = $5, applied = $6, regions = $7,"
        " last_checked_at = $8, last_result = $9, open_incident_id = $10, failing = $11,"
        " updated_at = now() WHERE monitor_id = $1",
        [_values(monitor_id, row) for monitor_id, row in rows.items()],
    )


def _summary(last: object) -> object:
    return msgspec.to_builtins(_result_ref(last)) if isinstance(last, CheckResult) else last


def _values(monitor_id: str, row: _Row) -> tuple:
    failures = max((s.consecutive_failures for s in row.regions.values()), default=0)
    successes = max((s.consecutive_successes for s in row.regions.values()), default=0)
    return (
        uuid.UUID(monitor_id),
        row.status,
        row.since,
        failures,
        successes,
        row.applied,
        {k: msgspec.to_builtins(s) for k, s in row.regions.items()},
        row.last_checked_at,
        _summary(row.last_result),
        uuid.UUID(row.open_incident_id) if row.open_incident_id else None,
        row.failing,
    )
