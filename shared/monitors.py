"""The monitor definition: one schema used by the API to decode requests, by the
events that carry it, and by the OpenAPI document.

Struct constraints catch types and ranges; `validate` adds the rules that span
fields or need parsing (URLs, host:port, timeout < interval). The kinds and their
options blocks come from the kind registry (shared.kinds).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta, Struct

from shared.anomaly import AnomalySpec
from shared.bounds import Name, RefId, Tag, Target
from shared.kinds import KINDS, REGISTRY, options_of
from shared.kinds.base import FieldError

Kind = Literal[KINDS]  # type: ignore[valid-type]  # drawn from the kind registry

# Patterns end in (?![\s\S]), not $, which would let a final line break in (shared.bounds).
Region = Annotated[str, Meta(pattern=r"^[a-z0-9][a-z0-9-]{0,31}(?![\s\S])")]
ChannelIds = Annotated[list[RefId], Meta(max_length=32)]
Tags = Annotated[list[Tag], Meta(max_length=32)]


class Escalation(Struct, kw_only=True, forbid_unknown_fields=True):
    # Notify these channels too when an incident stays unacknowledged this long.
    after_s: Annotated[int, Meta(ge=1, le=7 * 86_400)]
    channel_ids: Annotated[list[RefId], Meta(min_length=1, max_length=32)]


_Default = object()
IntervalS = Annotated[int, Meta(ge=1, le=86_400)]
TimeoutS = Annotated[float, Meta(gt=0, le=300)]
Regions = Annotated[list[Region], Meta(min_length=1, max_length=32)]
Threshold = Annotated[int, Meta(ge=1, le=100)]
Quorum = Annotated[int, Meta(ge=1, le=32)]
ReminderS = Annotated[int, Meta(ge=60, le=7 * 86_400)]

# (name, type, default) of what every monitor has, around the kinds' options blocks.
_BEFORE: list[tuple[str, Any, Any]] = [
    ("name", Name, _Default),
    ("kind", Kind, _Default),
    ("target", Target, ""),
    ("interval_s", IntervalS, 60),
    # None means min(10 s, 80% of the interval): a default that always validates.
    ("timeout_s", TimeoutS | None, None),
    ("regions", Regions, msgspec.field(default_factory=lambda: ["default"])),
    ("failure_threshold", Threshold, 3),
    ("success_threshold", Threshold, 1),
    ("retry_interval_s", IntervalS | None, None),
]
_AFTER: list[tuple[str, Any, Any]] = [
    ("channel_ids", ChannelIds, []),
    # Regions that must be down for the monitor to be down; None: a majority.
    ("quorum", Quorum | None, None),
    # Repeat the down notification this often while the incident lasts; None: never.
    ("reminder_every_s", ReminderS | None, None),
    ("escalation", Escalation | None, None),
    # Alerts when the monitor gets slower or flakier than its own past; None: defaults.
    ("anomaly", AnomalySpec | None, None),
    ("tags", Tags, []),
    ("paused", bool, False),
]
# One options block per kind, at its name; only the block of the monitor's kind is read.
_BLOCKS = [(name, kind.options | None, None) for name, kind in REGISTRY.items()]


def _fields(items: list[tuple[str, Any, Any]]) -> list[tuple[str, Any] | tuple[str, Any, Any]]:
    return [(n, t) if d is _Default else (n, t, d) for n, t, d in items]


MonitorFields = msgspec.defstruct(
    "MonitorFields",
    _fields(_BEFORE + _BLOCKS + _AFTER),
    kw_only=True,
    forbid_unknown_fields=True,
    module=__name__,
    namespace={"__doc__": "What a user writes: the body of POST /api/v1/monitors."},
)

# PATCH: every field optional; absent fields keep their stored value. The kind is fixed.
_PATCHABLE = [(n, t, d) for n, t, d in _BEFORE + _BLOCKS + _AFTER if n != "kind"]
MonitorPatch = msgspec.defstruct(
    "MonitorPatch",
    [(n, t | msgspec.UnsetType, msgspec.UNSET) for n, t, _ in _PATCHABLE],
    kw_only=True,
    forbid_unknown_fields=True,
    omit_defaults=True,
    module=__name__,
    namespace={
        "__doc__": "PATCH body: every field optional; absent fields keep their stored value."
    },
)


class Monitor(MonitorFields, kw_only=True, forbid_unknown_fields=False):
    """A stored monitor. `version` grows with every change so consumers can drop stale events."""

    id: str
    timeout_s: float  # type: ignore[assignment]  # always resolved once stored
    version: int = 1
    # Heartbeat monitors: the secret part of their push URL.
    push_token: str | None = None
    # A target that carries a credential (`https://u:pw@host/`, `?token=`) is kept here,
    # sealed, while `target` shows it masked; only the executor opens it.
    target_sealed: str | None = None
    created_at: datetime
    updated_at: datetime


def effective_timeout(fields: MonitorFields) -> float:
    if fields.timeout_s is not None:
        return fields.timeout_s
    return round(min(10.0, fields.interval_s * 0.8), 3)


def validate(fields: MonitorFields) -> list[FieldError]:
    """Rules that span fields or need parsing; an empty list means valid.

    Only the block that matches `kind` is read, so only it is checked."""
    errors: list[FieldError] = []
    if fields.timeout_s is not None and fields.timeout_s >= fields.interval_s:
        errors.append(FieldError("timeout_s", "must be less than interval_s"))
    if fields.retry_interval_s is not None and fields.retry_interval_s > fields.interval_s:
        errors.append(FieldError("retry_interval_s", "must not exceed interval_s"))
    if len(set(fields.regions)) != len(fields.regions):
        errors.append(FieldError("regions", "must not repeat a region"))
    if fields.quorum is not None and fields.quorum > len(fields.regions):
        errors.append(FieldError("quorum", "must not exceed the number of regions"))
    errors.extend(REGISTRY[fields.kind].rules(fields, options_of(fields)))
    return errors
