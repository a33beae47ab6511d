"""Heartbeat (jobs): the job calls upmon; down when a ping does not come in time, and a
run outside its time limits is a failure. The executor judges it on the pings it has
been sent (shared.heartbeats), so the kind has no probe."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from msgspec import Meta

from shared import crontab
from shared.bounds import plain
from shared.kinds.base import FieldError, FormField, MonitorKind, Options, errors

MAX_RUNTIME_S = 7 * 86_400
# A job's stable name in /push/{ping_key}/{slug}: lower-case, URL-safe as it is.
Slug = Annotated[str, Meta(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}(?![\s\S])")]


class HeartbeatSpec(Options, kw_only=True):
    # The job pings at least every period_s, or on a five-field `cron` read on the wall
    # clock of `timezone`; down once grace_s passes after the expected time without one.
    period_s: Annotated[int, Meta(ge=1, le=31 * 86_400)] = 300
    cron: Annotated[str, plain(crontab.MAX_CRON, 1)] | None = None
    timezone: Annotated[str, plain(crontab.MAX_ZONE, 1)] = "UTC"
    # After a start signal grace counts from the start: it is the longest a run may take.
    grace_s: Annotated[int, Meta(ge=0, le=86_400)] = 60
    # A run (start to end) longer or shorter than these is a failure.
    max_runtime_s: Annotated[int, Meta(ge=1, le=MAX_RUNTIME_S)] | None = None
    min_runtime_s: Annotated[int, Meta(ge=0, le=MAX_RUNTIME_S)] | None = None
    # Lets a fleet ping by name with one ping key; unique among live heartbeat monitors.
    slug: Slug | None = None


def rules(_fields: Any, spec: HeartbeatSpec) -> list[FieldError]:
    found = errors("heartbeat.timezone", crontab.zone_problem(spec.timezone))
    if spec.cron is not None:
        problem = crontab.cron_problem(spec.cron, spec.timezone, datetime.now(UTC))
        found.extend(errors("heartbeat.cron", problem))
        if spec.period_s != HeartbeatSpec().period_s:
            found.append(FieldError("heartbeat.period_s", "give period_s or cron, not both"))
    low, high = spec.min_runtime_s, spec.max_runtime_s
    if low is not None and high is not None and low >= high:
        found.append(FieldError("heartbeat.min_runtime_s", "must be less than max_runtime_s"))
    return found


KIND = MonitorKind(
    name="heartbeat",
    title="Heartbeat (job)",
    options=HeartbeatSpec,
    target="none",
    rules=rules,
    summary="Your job calls the push URL; down when a ping is late or a run fails.",
    error_kinds=frozenset(
        {"missed", "heartbeat_missing", "heartbeat_late", "run_overdue", "reported_down"}
    ),
    form=(
        FormField("period_s", "Period (s)", "number"),
        FormField("cron", "Cron schedule", help="Five fields, instead of the period (optional)"),
        FormField("timezone", "Time zone of the schedule", placeholder="UTC"),
        FormField("grace_s", "Grace (s)", "number"),
        FormField("max_runtime_s", "Longest run (s)", "number", help="Optional"),
        FormField("slug", "Slug", help="For a fleet pinging /push/{ping_key}/{slug}: a-z 0-9 _ -"),
    ),
)
