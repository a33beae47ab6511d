"""Maintenance windows: checks keep running, nothing alerts, status shows `maintenance`.

The notifier applies them; the api validates and lists them with the same rules."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import asyncpg
from croniter import croniter

from shared.monitors import Monitor


@dataclass(frozen=True)
class Window:
    monitor_ids: frozenset[str]
    tags: frozenset[str]
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    cron: str | None = None
    duration_s: int | None = None
    timezone: str = "UTC"

    def covers(self, monitor: Monitor) -> bool:
        return monitor.id in self.monitor_ids or bool(self.tags.intersection(monitor.tags))

    def active(self, at: datetime) -> bool:
        if self.cron is None:
            return (
                self.starts_at is not None
                and self.ends_at is not None
                and (self.starts_at <= at < self.ends_at)
            )
        local = at.astimezone(ZoneInfo(self.timezone))
        # The latest start at or before `at`; croniter's get_prev is strict, so step past `at`.
        started = croniter(self.cron, local + timedelta(microseconds=1)).get_prev(datetime)
        return local < started + timedelta(seconds=self.duration_s or 0)


class WindowError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check(
    starts_at: datetime | None,
    ends_at: datetime | None,
    cron: str | None,
    duration_s: int | None,
    timezone: str,
) -> None:
    """Raise WindowError naming the field when a window definition cannot work."""
    if cron is None:
        if starts_at is None or ends_at is None:
            raise WindowError("starts_at", "give starts_at and ends_at, or cron and duration_s")
        if ends_at <= starts_at:
            raise WindowError("ends_at", "must be after starts_at")
        return
    if not croniter.is_valid(cron):
        raise WindowError("cron", f"not a valid cron expression: {cron!r}")
    if duration_s is None:
        raise WindowError("duration_s", "is required with cron")
    try:
        ZoneInfo(timezone)
    except (KeyError, ValueError):
        raise WindowError("timezone", f"unknown time zone: {timezone!r}") from None


def occurrences(
    cron: str, duration_s: int, timezone: str, after: datetime, count: int
) -> list[tuple[datetime, datetime]]:
    """The next `count` windows of a recurring definition that end after `after` (one
    running now comes first), in UTC. Call `check` first."""
    zone = ZoneInfo(timezone)
    local = after.astimezone(zone)
    span = timedelta(seconds=duration_s)
    found = []
    current = croniter(cron, local + timedelta(microseconds=1)).get_prev(datetime)
    if local < current + span:
        found.append(current)
    it = croniter(cron, local)
    while len(found) < count:
        found.append(it.get_next(datetime))
    return [(start.astimezone(UTC), (start + span).astimezone(UTC)) for start in found[:count]]


def in_maintenance(windows: list[Window], monitor: Monitor, at: datetime) -> bool:
    return any(w.covers(monitor) and w.active(at) for w in windows)


class Windows:
    """The windows from Postgres, re-read at most every `ttl_s` (they change rarely)."""

    def __init__(self, ttl_s: float = 5.0) -> None:
        self.ttl_s = ttl_s
        self._loaded_at = -1e9
        self._windows: list[Window] = []

    async def get(self, conn: asyncpg.Connection) -> list[Window]:
        if time.monotonic() - self._loaded_at > self.ttl_s:
            rows = await conn.fetch("SELECT * FROM maintenance_windows WHERE deleted_at IS NULL")
            self._windows = [_window(r) for r in rows]
            self._loaded_at = time.monotonic()
        return self._windows


def _window(r: asyncpg.Record) -> Window:
    return Window(
        monitor_ids=frozenset(str(m) for m in r["monitor_ids"] or [] if isinstance(m, uuid.UUID)),
        tags=frozenset(r["tags"] or []),
        starts_at=r["starts_at"],
        ends_at=r["ends_at"],
        cron=r["cron"],
        duration_s=r["duration_s"],
        timezone=r["timezone"],
    )
