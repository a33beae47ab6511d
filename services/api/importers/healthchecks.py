"""Healthchecks.io: the check list its API returns (GET /api/v3/checks/), each check a
heartbeat. Simple checks map to period (`timeout`) and grace; cron checks to a cron
(`schedule`) in their time zone (`tz`) and grace; a check's slug stays its slug, so
jobs that pinged by slug keep doing so with an upmon ping key."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from services.api.importers import MappedMonitor, Mapping, SourceError, guarded, unmappable
from shared import crontab

MAX_PERIOD_S = 31 * 86_400
MAX_GRACE_S = 86_400
# upmon's heartbeat.slug (shared.monitors.Slug); Healthchecks allows the same letters.
_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


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
    schedule = _schedule(check)
    if isinstance(schedule, str):
        return unmappable(name, schedule)
    notes = []
    grace = check.get("grace", 3600)
    if not isinstance(grace, int) or grace < 0:
        grace = 3600
    if grace > MAX_GRACE_S:
        notes.append(f"grace {grace} s lowered to upmon's limit of {MAX_GRACE_S} s")
        grace = MAX_GRACE_S
    tags = [t for t in str(check.get("tags") or "").split() if t][:32]
    slug = check.get("slug")
    if isinstance(slug, str) and _SLUG.fullmatch(slug):
        schedule = {**schedule, "slug": slug}
        notes.append(f"jobs pinging by slug use /api/v1/push/{{ping_key}}/{slug}")
    elif slug:
        notes.append("its slug is not one upmon keeps (1-64 of a-z 0-9 _ -): left out")
    monitor = {
        "name": name[:200],
        "kind": "heartbeat",
        "heartbeat": {**schedule, "grace_s": grace},
        # Healthchecks alerts on the first missed period; so does this.
        "failure_threshold": 1,
        "tags": [t[:64] for t in tags],
        "paused": check.get("status") == "paused",
    }
    notes.append("jobs must ping the new push_url instead of the Healthchecks ping URL")
    return MappedMonitor(source=name, monitor=monitor, notes=notes)


def _schedule(check: dict) -> dict | str:
    """The heartbeat's schedule fields, or why the check has none upmon can keep."""
    if check.get("schedule") and (check.get("kind") == "cron" or "timeout" not in check):
        cron, tz = str(check["schedule"]), str(check.get("tz") or "UTC")
        problem = crontab.zone_problem(tz) or crontab.cron_problem(cron, tz, datetime.now(UTC))
        if problem:
            return (
                f"cron schedule {cron[: crontab.MAX_CRON]!r} ({tz[: crontab.MAX_ZONE]}): {problem}"
            )
        return {"cron": cron, "timezone": tz}
    period = check.get("timeout")
    if not isinstance(period, int) or period < 1:
        return "has no period (timeout) in seconds"
    if period > MAX_PERIOD_S:
        return f"period {period} s is over upmon's limit of {MAX_PERIOD_S} s"
    return {"period_s": period}
