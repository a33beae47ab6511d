"""Applies check results to monitor_state in Postgres, one transaction per batch:
`decide` judges each result, and what it decided (incidents opened and resolved,
outbox events) is written in the same transaction as the new states.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import asyncpg

from services.notifier import store
from services.notifier.decide import Decision, Opening, decide
from shared import outbox, topology
from shared.events import CheckResult, Event, IncidentOpened, IncidentResolved
from shared.maintenance import Window

_SUBJECT = {IncidentOpened: "opened", IncidentResolved: "resolved"}


@dataclass
class _Effects:
    """What a batch writes besides monitor_state, gathered to be written in bulk."""

    opened: list[Opening] = field(default_factory=list)
    resolved: list[store.Resolution] = field(default_factory=list)
    events: list[tuple[str, Event]] = field(default_factory=list)

    def add(self, monitor_id: str, d: Decision, r: CheckResult) -> None:
        if d.opening:
            self.opened.append(d.opening)
        if d.resolving:
            self.resolved.append(store.Resolution(d.resolving.id, r.checked_at))
        if d.announce:
            self.events.append((topology.incident_subject("state", monitor_id), d.announce))
        if d.deliver:
            kind = _SUBJECT[type(d.deliver)]
            self.events.append((topology.incident_subject(kind, monitor_id), d.deliver))

    async def write(self, conn: asyncpg.Connection) -> None:
        await store.open_incidents(conn, self.opened)
        await store.resolve_incidents(conn, self.resolved)
        await outbox.enqueue_many(conn, self.events)


async def apply_batch(
    conn: asyncpg.Connection, results: list[CheckResult], windows: list[Window] = ()
) -> None:
    """Three statements read and lock everything the batch touches, one pipelined
    statement writes it back: the per-result cost is memory work, not round trips."""
    ids = sorted({r.monitor_id for r in results})
    monitors = await store.live_monitors(conn, ids)
    rows = await store.lock_states(conn, [i for i in ids if i in monitors])
    fx = _Effects()
    for r in results:
        monitor = monitors.get(r.monitor_id)
        if monitor is None:
            continue  # deleted since the check ran
        row = rows[r.monitor_id]
        decision = decide(monitor, row.tracked, r, windows)
        if decision.applied:
            _record(row, decision, r)
            fx.add(monitor.id, decision, r)
    await fx.write(conn)
    await store.save_states(conn, {k: v for k, v in rows.items() if v.dirty})


def _record(row: store.StateRow, d: Decision, r: CheckResult) -> None:
    row.tracked = d.after
    row.last_checked_at = max(filter(None, [row.last_checked_at, r.checked_at]))
    row.last_result = r
    row.dirty = True
