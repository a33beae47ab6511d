"""The alert decision, pure: one check result against what the notifier tracks of a
monitor gives a typed change (statuses, regions, open/resolve, events), with no
I/O, so the exactly-once alert rule is testable without servers.

Each region has its own threshold state (`state.apply`); the monitor is DOWN when
a quorum of its regions is. Duplicate and older results (per region) change
nothing. Inside a maintenance window the status shows `maintenance` and nothing
opens or resolves.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Literal, Protocol

import msgspec
from msgspec import Struct, field
from msgspec.structs import replace

from services.notifier.state import State, apply, overall, quorum
from shared import secret_fields
from shared.events import (
    CheckResult,
    IncidentOpened,
    IncidentRef,
    IncidentResolved,
    MonitorRef,
    MonitorStateChanged,
    ResultRef,
)
from shared.maintenance import Window, in_maintenance
from shared.monitors import Monitor

Action = Literal["open", "resolve", "none"]
# Incident ids derive from the result that opened them: the same decision twice is the
# same incident, so writing it is idempotent.
INCIDENT_NS = uuid.UUID("0b7d7a1e-9f4c-4d8e-8a53-3c2f6e1d9b40")


class OpenIncident(Struct, frozen=True):
    id: str
    # None when the incident row is gone: its resolution then dates from itself.
    opened_at: datetime | None
    regions: tuple[str, ...] = ()


class Tracked(Struct, frozen=True):
    """What the notifier keeps of a monitor between results (its monitor_state)."""

    status: str = "pending"
    since: datetime | None = None
    regions: Mapping[str, State] = field(default_factory=dict)
    # Region -> the scheduled_at (ISO) of the newest result applied from it.
    applied: Mapping[str, str] = field(default_factory=dict)
    # Some region is failing while the monitor is not DOWN (the scheduler retries sooner).
    failing: bool = False
    incident: OpenIncident | None = None


class Opening(Struct, frozen=True):
    """An incident to record, with the deadlines the sweeper works from."""

    incident: OpenIncident
    monitor_id: str
    cause: str
    first_result: CheckResult
    remind_at: datetime | None
    escalate_at: datetime | None


class Decision(Struct, frozen=True):
    before: Tracked
    after: Tracked
    # False for a duplicate or older result: nothing at all changes.
    applied: bool = False
    down_regions: tuple[str, ...] = ()
    opening: Opening | None = None
    # The incident resolved automatically by this result.
    resolving: OpenIncident | None = None
    # For the scheduler: the monitor started or stopped failing, or changed status.
    announce: MonitorStateChanged | None = None
    # For the channels: the incident opened or resolved.
    deliver: IncidentOpened | IncidentResolved | None = None

    @property
    def action(self) -> Action:
        return "open" if self.opening else "resolve" if self.resolving else "none"

    @property
    def old_status(self) -> str:
        return self.before.status

    @property
    def new_status(self) -> str:
        return self.after.status


def decide(
    monitor: Monitor, tracked: Tracked, result: CheckResult, windows: Sequence[Window] = ()
) -> Decision:
    """Maintenance is judged at the result's own time, so a late or replayed result is
    decided as it would have been when it was checked."""
    stamp = result.scheduled_at.isoformat()
    last = tracked.applied.get(result.region)
    if last is not None and last >= stamp:
        return Decision(before=tracked, after=tracked)
    seen = replace(tracked, applied={**tracked.applied, result.region: stamp})
    if monitor.paused or result.region not in monitor.regions:
        return Decision(before=tracked, after=seen, applied=True)
    return _judge(
        monitor, tracked, seen, result, in_maintenance(list(windows), monitor, result.checked_at)
    )


def _judge(m: Monitor, before: Tracked, seen: Tracked, r: CheckResult, quiet: bool) -> Decision:
    regions = {**seen.regions, r.region: _region_state(m, seen.regions, r)}
    status, down = overall(regions, m.regions, quorum(len(m.regions), m.quorum))
    failing = status != "down" and any(s.consecutive_failures for s in regions.values())
    announce = None
    if failing != seen.failing or status != seen.status:
        announce = MonitorStateChanged(monitor_id=m.id, status=status, failing=failing)
    after = replace(seen, regions=regions, failing=failing)
    base = Decision(before, after, True, tuple(down), announce=announce)
    if quiet:
        return replace(base, after=_with_status(after, "maintenance", r.checked_at))
    if status == "down" and seen.status != "down" and seen.incident is None:
        return _open(m, base, r, status)
    if status != "down" and seen.incident is not None:
        return _resolve(m, base, r, status)
    return replace(base, after=_with_status(after, status, r.checked_at))


def _region_state(m: Monitor, regions: Mapping[str, State], r: CheckResult) -> State:
    new = apply(
        regions.get(r.region, State()),
        r.status,
        r.checked_at,
        m.failure_threshold,
        m.success_threshold,
        immediate=r.details.get("explicit") is True,
    )
    return new


def _with_status(t: Tracked, status: str, at: datetime) -> Tracked:
    return t if t.status == status else replace(t, status=status, since=at)


def _open(m: Monitor, base: Decision, r: CheckResult, status: str) -> Decision:
    incident = OpenIncident(
        id=incident_id(m.id, r), opened_at=r.checked_at, regions=base.down_regions
    )
    opening = Opening(
        incident=incident,
        monitor_id=m.id,
        cause=r.error or f"check {r.status}",
        first_result=r,
        remind_at=_after(r.checked_at, m.reminder_every_s),
        escalate_at=_after(r.checked_at, m.escalation.after_s if m.escalation else None),
    )
    event = IncidentOpened(
        monitor=monitor_ref(m),
        incident=IncidentRef(
            id=incident.id, opened_at=incident.opened_at, regions=list(incident.regions)
        ),
        result=result_ref(r),
        channel_ids=list(m.channel_ids),
    )
    after = _with_status(replace(base.after, incident=incident), status, r.checked_at)
    return replace(base, after=after, opening=opening, deliver=event)


def _resolve(m: Monitor, base: Decision, r: CheckResult, status: str) -> Decision:
    incident = base.after.incident
    event = resolved_event(m, incident, r.checked_at, "auto", result_ref(r))
    after = _with_status(replace(base.after, incident=None), status, r.checked_at)
    return replace(base, after=after, resolving=incident, deliver=event)


def _after(at: datetime, seconds: int | None) -> datetime | None:
    return at + timedelta(seconds=seconds) if seconds else None


def incident_id(monitor_id: str, r: CheckResult) -> str:
    key = f"{monitor_id}:{r.region}:{r.scheduled_at.isoformat()}:{r.check_id}"
    return str(uuid.uuid5(INCIDENT_NS, key))


class Named(Protocol):
    """What an event shows of a monitor: a Monitor, or the anomaly pass's few fields."""

    id: str
    name: str
    kind: str
    target: str


def monitor_ref(m: Named) -> MonitorRef:
    """The monitor as incident events show it: its target's credentials masked."""
    return MonitorRef(
        id=m.id, name=m.name, kind=m.kind, target=secret_fields.shown_target(m.target)
    )


def result_ref(r: CheckResult) -> ResultRef:
    return ResultRef(
        status=r.status,
        error=r.error,
        http_status=r.http_status,
        latency_ms=r.latency_ms,
        region=r.region,
    )


def resolved_event(
    m: Monitor,
    incident: OpenIncident,
    at: datetime,
    by: str,
    result: ResultRef | None = None,
) -> IncidentResolved:
    """The one way an incident's resolution is announced, on recovery or by hand."""
    return IncidentResolved(
        monitor=monitor_ref(m),
        incident=IncidentRef(
            id=incident.id,
            opened_at=incident.opened_at or at,
            resolved_at=at,
            resolved_by=by,
            regions=list(incident.regions),
        ),
        result=result,
        channel_ids=list(m.channel_ids),
    )


def result_summary(r: CheckResult) -> dict:
    """What monitor_state keeps of the newest result applied."""
    return msgspec.to_builtins(result_ref(r))


class Reminding(Struct, frozen=True):
    """What a due reminder comes to: send it or not, and when the next one is due."""

    send: bool
    # None: the monitor no longer reminds, so the incident has no next reminder.
    following: datetime | None


def remind(m: Monitor, due_at: datetime, windows: Sequence[Window], now: datetime) -> Reminding:
    if not m.reminder_every_s:
        return Reminding(send=False, following=None)
    every = timedelta(seconds=m.reminder_every_s)
    # After a stall, one reminder, then back on the cadence: no burst of stale ones.
    following = max(due_at + every, now + every / 2)
    return Reminding(send=not in_maintenance(list(windows), m, now), following=following)
