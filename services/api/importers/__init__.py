"""Importers from other monitoring tools: pure functions from a tool's own export
to upmon monitor and channel documents, one module per tool.

A mapper never stores anything: what it returns goes through the same validation
and the same write path as POST /api/v1/monitors and /api/v1/channels."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SOURCES = ("uptime-kuma", "gatus", "healthchecks")


@dataclass
class MappedChannel:
    # A key for monitors to refer to it by, unique within one import.
    ref: str
    name: str
    kind: str
    config: dict[str, Any]


@dataclass
class MappedMonitor:
    # The item's name in the source tool, for the report.
    source: str
    # A body for POST /api/v1/monitors, or None when the item cannot be mapped.
    monitor: dict[str, Any] | None = None
    reason: str | None = None
    # Refs of MappedChannels this monitor notifies.
    channels: list[str] = field(default_factory=list)
    # What was mapped approximately, worth a look after the import.
    notes: list[str] = field(default_factory=list)


@dataclass
class Mapping:
    monitors: list[MappedMonitor]
    channels: list[MappedChannel] = field(default_factory=list)
    # Source items other than monitors that were left out (e.g. a kind of notification).
    skipped: list[str] = field(default_factory=list)


class SourceError(ValueError):
    """The document is not what the tool exports; the message says what is wrong."""


def unmappable(source: str, reason: str) -> MappedMonitor:
    return MappedMonitor(source=source, reason=reason)


def mapper(source: str):
    """The mapping function of a source tool (a `doc -> Mapping`)."""
    from services.api.importers import gatus, healthchecks, uptime_kuma

    return {
        "uptime-kuma": uptime_kuma.mapping,
        "gatus": gatus.mapping,
        "healthchecks": healthchecks.mapping,
    }[source]


def clamp_timeout(timeout_s: float | None, interval_s: int) -> float | None:
    """A timeout upmon accepts: below the interval and at most 300 s."""
    if not timeout_s or timeout_s <= 0:
        return None
    limit = min(300.0, interval_s * 0.8)
    return round(min(float(timeout_s), limit), 3)


def duration_s(text: Any) -> int:
    """Go-style durations as Gatus writes them (`30s`, `5m`, `1h30m`, `48h`)."""
    if isinstance(text, int | float):
        return int(text)
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
    total, number = 0.0, ""
    rest = str(text).strip()
    i = 0
    while i < len(rest):
        c = rest[i]
        if c.isdigit() or c == ".":
            number += c
            i += 1
            continue
        unit = "ms" if rest.startswith("ms", i) else c
        if unit not in units or not number:
            raise SourceError(f"not a duration: {text!r}")
        total += float(number) * units[unit]
        number, i = "", i + len(unit)
    if number:
        raise SourceError(f"a duration needs a unit (s, m, h): {text!r}")
    return int(total)


def guarded(source: str, build) -> MappedMonitor | list[MappedMonitor]:
    """`build()`, or the item reported as not mappable when its fields have odd types
    (an export edited by hand): one bad item never fails the whole mapping."""
    try:
        return build()
    except SourceError as exc:
        return unmappable(source, str(exc))
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        return unmappable(source, f"malformed item: {type(exc).__name__}: {exc}"[:300])
