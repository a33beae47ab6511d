"""Turning what a user wrote into the stored Monitor: defaults resolved, patches
merged, and the whole result validated again so no edit can store an invalid one."""

from __future__ import annotations

import secrets

import msgspec

from shared.events import new_id, utcnow
from shared.monitors import Monitor, MonitorFields, MonitorPatch, effective_timeout

_FIELD_NAMES = MonitorFields.__struct_fields__


def fields_of(monitor: Monitor) -> MonitorFields:
    return MonitorFields(**{name: getattr(monitor, name) for name in _FIELD_NAMES})


def new_monitor(fields: MonitorFields) -> Monitor:
    now = utcnow()
    return Monitor(
        **_resolved(fields),
        id=new_id(),
        version=1,
        created_at=now,
        updated_at=now,
        push_token=_push_token(fields, None),
    )


def revised(current: Monitor, fields: MonitorFields) -> Monitor:
    """The next version of `current` holding `fields`."""
    return Monitor(
        **_resolved(fields),
        id=current.id,
        version=current.version + 1,
        created_at=current.created_at,
        updated_at=utcnow(),
        push_token=_push_token(fields, current.push_token),
    )


def _push_token(fields: MonitorFields, current: str | None) -> str | None:
    """Heartbeat monitors keep one secret push token for life; other kinds have none."""
    if fields.kind != "heartbeat":
        return None
    return current or secrets.token_urlsafe(24)


def merge(current: Monitor, patch: MonitorPatch) -> MonitorFields:
    """Fields present in the patch replace stored ones whole (a block such as `http`
    is replaced, not deep-merged), the rest are kept."""
    values = msgspec.structs.asdict(fields_of(current))
    changes = {
        name: value
        for name in MonitorPatch.__struct_fields__
        if (value := getattr(patch, name)) is not msgspec.UNSET
    }
    if "timeout_s" not in changes and _timeout_was_default(current):
        # A default timeout follows the interval; otherwise shortening the interval
        # would fail on a timeout the user never chose.
        values["timeout_s"] = None
    values.update(changes)
    return MonitorFields(**values)


def with_paused(current: Monitor, paused: bool) -> MonitorFields:
    return msgspec.structs.replace(fields_of(current), paused=paused)


def _timeout_was_default(monitor: Monitor) -> bool:
    default = effective_timeout(msgspec.structs.replace(fields_of(monitor), timeout_s=None))
    return monitor.timeout_s == default


def _resolved(fields: MonitorFields) -> dict:
    values = msgspec.structs.asdict(fields)
    values["timeout_s"] = effective_timeout(fields)
    return values
