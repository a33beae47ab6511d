"""Heartbeat monitors: nothing to probe; the due check judges the last ping against
the deadline shared.heartbeats decides."""

from __future__ import annotations

from datetime import datetime

from shared.heartbeats import Deadline, Ping, deadline
from shared.kinds.heartbeat import HeartbeatSpec
from shared.monitors import Monitor
from shared.probes.outcome import Outcome


def judge(monitor: Monitor, last: Ping | None, now: datetime) -> Outcome:
    spec = monitor.heartbeat or HeartbeatSpec()
    due = deadline(spec, last, monitor.created_at)
    details = _details(last, due, now)
    if last is not None and last.at is not None and last.status == "down" and due.why != "running":
        message = last.msg or "the job reported down"
        return Outcome(status="down", error_kind="reported_down", error=message, details=details)
    if due.at is None or now <= due.at:
        return Outcome(status="up", details=details)
    late = (now - due.since).total_seconds()
    if due.why == "running":
        kind, error = "run_overdue", f"a run started {late:.0f} s ago has not ended"
    elif last is None or last.at is None:
        kind, error = "heartbeat_missing", f"no ping since the monitor was created {late:.0f} s ago"
    else:
        kind, error = "heartbeat_late", f"last ping {late:.0f} s ago"
    return Outcome(
        status="down", error_kind=kind, error=f"{error} ({_rule(spec)})", details=details
    )


def _rule(spec: HeartbeatSpec) -> str:
    if spec.cron is not None:
        return f"cron {spec.cron!r} in {spec.timezone} + grace {spec.grace_s} s"
    return f"period {spec.period_s} s + grace {spec.grace_s} s"


def _details(last: Ping | None, due: Deadline, now: datetime) -> dict:
    at = last.at if last is not None else None
    return {
        "last_ping_at": at.isoformat() if at else None,
        "age_s": round((now - at).total_seconds(), 3) if at else None,
        "msg": last.msg if last is not None else None,
        "expected_by": due.at.isoformat() if due.at else None,
        "running_since": due.since.isoformat() if due.why == "running" else None,
    }
