"""Heartbeat monitors: nothing to probe; the due check judges the last ping."""

from __future__ import annotations

from datetime import datetime

from services.executor.checks.outcome import Outcome
from shared.heartbeats import Ping
from shared.monitors import HeartbeatSpec, Monitor


def judge(monitor: Monitor, last: Ping | None, now: datetime) -> Outcome:
    spec = monitor.heartbeat or HeartbeatSpec()
    limit = spec.period_s + spec.grace_s
    if last is None:
        waited = (now - monitor.created_at).total_seconds()
        if waited <= limit:
            return Outcome(status="up", details={"last_ping_at": None, "waiting_s": round(waited)})
        return Outcome(
            status="down",
            error_kind="heartbeat_missing",
            error=f"no ping since the monitor was created {waited:.0f} s ago"
            f" (period {spec.period_s} s + grace {spec.grace_s} s)",
            details={"last_ping_at": None},
        )
    age = (now - last.at).total_seconds()
    details = {"last_ping_at": last.at.isoformat(), "age_s": round(age, 3), "msg": last.msg}
    if last.status == "down":
        message = last.msg or "the job reported down"
        return Outcome(status="down", error_kind="reported_down", error=message, details=details)
    if age > limit:
        return Outcome(
            status="down",
            error_kind="heartbeat_late",
            error=f"last ping {age:.0f} s ago (period {spec.period_s} s + grace {spec.grace_s} s)",
            details=details,
        )
    return Outcome(status="up", details=details)
