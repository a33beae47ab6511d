"""Maintenance windows: checks keep running, nothing alerts, status shows `maintenance`.

The notifier applies them; the api validates and lists them with the same rules."""

from __future__ import annotations

import contextlib
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import asyncpg
from croniter import croniter

from shared.bounds import EARLIEST_YEAR, LATEST_YEAR
from shared.crontab import HORIZON_YEARS
from shared.crontab import cron_at as _cron
from shared.crontab import zones as _zones
from shared.logs import get
from shared.monitors import Monitor

log = get("maintenance")


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
        moments = _cron(self.cron, local + timedelta(microseconds=1))
        try:
            started = moments.get_prev(datetime)
        except (ValueError, KeyError):
            # No start within the horizon before `at` (e.g. a year field still ahead).
            return False
        return local < started + timedelta(seconds=self.duration_s or 0)

    def problem(self, at: datetime) -> str | None:
        """Why this stored window cannot work, or None; a window with a problem is ignored."""
        try:
            check(self.starts_at, self.ends_at, self.cron, self.duration_s, self.timezone, at)
            self.active(at)
        except WindowError as exc:
            return f"{exc.field}: {exc}"
        except (ValueError, KeyError, OverflowError, OSError) as exc:
            return f"{type(exc).__name__}: {exc}"
        return None


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
    now: datetime | None = None,
) -> None:
    """Raise WindowError naming the field when a window definition cannot work."""
    if cron is None:
        _check_times(starts_at, ends_at)
        return
    if not croniter.is_valid(cron):
        raise WindowError("cron", f"not a valid cron expression: {cron!r}")
    if duration_s is None:
        raise WindowError("duration_s", "is required with cron")
    if timezone not in _zones():
        raise WindowError("timezone", f"unknown time zone: {timezone!r} (e.g. Europe/Berlin)")
    local = (now or datetime.now(UTC)).astimezone(ZoneInfo(timezone))
    try:
        _cron(cron, local).get_next(datetime)
    except (ValueError, KeyError):
        message = f"{cron!r} never fires in the next {HORIZON_YEARS} years (is the date real?)"
        raise WindowError("cron", message) from None


def _check_times(starts_at: datetime | None, ends_at: datetime | None) -> None:
    if starts_at is None or ends_at is None:
        raise WindowError("starts_at", "give starts_at and ends_at, or cron and duration_s")
    for field, at in (("starts_at", starts_at), ("ends_at", ends_at)):
        if at.tzinfo is None:
            raise WindowError(field, "needs a UTC offset, e.g. 2024-05-01T02:00:00Z")
        if not EARLIEST_YEAR <= at.year <= LATEST_YEAR:
            raise WindowError(field, f"must be between the years {EARLIEST_YEAR} and {LATEST_YEAR}")
    if ends_at <= starts_at:
        raise WindowError("ends_at", "must be after starts_at")


def occurrences(
    cron: str, duration_s: int, timezone: str, after: datetime, count: int
) -> list[tuple[datetime, datetime]]:
    """The next `count` windows of a recurring definition that end after `after` (one
    running now comes first), in UTC. Call `check` first."""
    zone = ZoneInfo(timezone)
    local = after.astimezone(zone)
    span = timedelta(seconds=duration_s)
    found = []
    # A cron with a year field may have no start before now, or fewer than `count` ahead:
    # the list is then shorter, never an error.
    with contextlib.suppress(ValueError, KeyError):
        current = _cron(cron, local + timedelta(microseconds=1)).get_prev(datetime)
        if local < current + span:
            found.append(current)
    it = _cron(cron, local)
    with contextlib.suppress(ValueError, KeyError):
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
        self._quarantined: set[uuid.UUID] = set()

    async def get(self, conn: asyncpg.Connection) -> list[Window]:
        if time.monotonic() - self._loaded_at > self.ttl_s:
            rows = await conn.fetch("SELECT * FROM maintenance_windows WHERE deleted_at IS NULL")
            self._windows = self._usable(rows, datetime.now(UTC))
            self._loaded_at = time.monotonic()
        return self._windows

    def _usable(self, rows: list[asyncpg.Record], now: datetime) -> list[Window]:
        """The windows that can work. A broken one (stored before these rules, or by hand)
        is quarantined: left out and logged once, so it cannot fail a batch of results."""
        usable = []
        for row in rows:
            window = _window(row)
            problem = window.problem(now)
            if problem is None:
                usable.append(window)
            elif row["id"] not in self._quarantined:
                self._quarantined.add(row["id"])
                log.warning(
                    "maintenance_window_quarantined", window_id=str(row["id"]), problem=problem
                )
        return usable


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
