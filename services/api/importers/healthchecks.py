"""Healthchecks.io: the check list its API returns (GET /api/v3/checks/), each check a
heartbeat. Simple checks map to period (`timeout`) and grace; cron checks
(`schedule`, `tz`) need a cron field on heartbeats that upmon does not have yet."""

from __future__ import annotations

from typing import Any

from services.api.importers import MappedMonitor, Mapping, SourceError, guarded, unmappable

MAX_PERIOD_S = 31 * 86_400
MAX_GRACE_S = 86_400


def mapping(doc: Any) -> Mapping:
    checks = doc.get("checks") if isinstance(doc, dict) else doc
    if not isinstance(checks, list):
        raise SourceError('expected the API\'s check list: {"checks": [...]}')
    return Mapping(
        monitors=[
            guarded(f"checks[{i}]", lambda i=i, c=c: _check(i, c)) for i, c in enumerate(checks)
        ]
    )


def _check(i: int, check: Any) -> MappedMonitor:
    if not isinstance(check, dict):
        return unmappable(f"checks[{i}]", "is not a check object")
    name = str(check.get("name") or check.get("slug") or f"check {i}")
    if check.get("schedule") and (check.get("kind") == "cron" or "timeout" not in check):
        tz = check.get("tz") or "UTC"
        return unmappable(
            name,
            f"cron schedule {check['schedule']!r} ({tz}): heartbeats have no cron field yet",
        )
    period = check.get("timeout")
    grace = check.get("grace", 3600)
    if not isinstance(period, int) or period < 1:
        return unmappable(name, "has no period (timeout) in seconds")
    if period > MAX_PERIOD_S:
        return unmappable(name, f"period {period} s is over upmon's limit of {MAX_PERIOD_S} s")
    notes = []
    if not isinstance(grace, int) or grace < 0:
        grace = 3600
    if grace > MAX_GRACE_S:
        notes.append(f"grace {grace} s lowered to upmon's limit of {MAX_GRACE_S} s")
        grace = MAX_GRACE_S
    tags = [t for t in str(check.get("tags") or "").split() if t][:32]
    monitor = {
        "name": name[:200],
        "kind": "heartbeat",
        "heartbeat": {"period_s": period, "grace_s": grace},
        # Healthchecks alerts on the first missed period; so does this.
        "failure_threshold": 1,
        "tags": [t[:64] for t in tags],
        "paused": check.get("status") == "paused",
    }
    notes.append("jobs must ping the new push_url instead of the Healthchecks ping URL")
    return MappedMonitor(source=name, monitor=monitor, notes=notes)
