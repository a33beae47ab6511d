"""The up/down state machine of one region, pure: one result in, the new state out.
Whether that opens or resolves anything is decided over all regions (decide.py).

`failure_threshold` consecutive failures make a monitor DOWN (opening an
incident); `success_threshold` consecutive successes make it UP again
(resolving it). A new monitor leaves `pending` on its first success, or on
reaching the failure threshold.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime


@dataclass(frozen=True)
class State:
    status: str = "pending"
    consecutive_failures: int = 0
    consecutive_successes: int = 0
    since: datetime | None = None


def apply(
    state: State,
    result_status: str,
    at: datetime,
    failure_threshold: int,
    success_threshold: int,
    immediate: bool = False,
) -> State:
    """`immediate`: the failure was reported explicitly (a heartbeat's status=down),
    so no threshold applies."""
    if result_status == "missed":
        return state
    if result_status == "down":
        return _on_failure(state, at, 1 if immediate else failure_threshold)
    return _on_success(state, result_status, at, success_threshold)


def _on_failure(state: State, at: datetime, threshold: int) -> State:
    failures = state.consecutive_failures + 1
    new = replace(state, consecutive_failures=failures, consecutive_successes=0)
    if state.status != "down" and failures >= threshold:
        return replace(new, status="down", since=at)
    return new


def _on_success(state: State, status: str, at: datetime, threshold: int) -> State:
    successes = state.consecutive_successes + 1
    new = replace(state, consecutive_failures=0, consecutive_successes=successes)
    if state.status == "down":
        return replace(new, status=status, since=at) if successes >= threshold else new
    if state.status != status:
        # pending -> up, up <-> degraded: a status change, but no incident.
        return replace(new, status=status, since=at)
    return new


def quorum(regions: int, configured: int | None) -> int:
    """Regions that must be down for the monitor to be down; default a majority."""
    return min(configured, regions) if configured else regions // 2 + 1


def overall(regions: dict[str, State], names: list[str], need: int) -> tuple[str, list[str]]:
    """The monitor's status from its regions' states, and the regions that are down.

    Fewer down regions than the quorum is a partial outage: degraded, not down."""
    states = [regions.get(name, State()) for name in names]
    down = [name for name, s in zip(names, states, strict=True) if s.status == "down"]
    if down and len(down) >= need:
        return "down", down
    statuses = {s.status for s in states}
    if down or "degraded" in statuses:
        return "degraded", down
    if statuses == {"pending"}:
        return "pending", down
    return "up", down
