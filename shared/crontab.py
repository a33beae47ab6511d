"""Cron expressions in an IANA time zone: one set of rules for maintenance windows and
heartbeat schedules, so both accept and refuse the same definitions."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, available_timezones

from croniter import croniter

# A cron must fire again within this many years: enough for `0 0 29 2 *` (leap days),
# and croniter gives up after it instead of searching for a date that never comes
# (`0 0 30 2 *`, `0 0 31 4 *`, a year field in the past or far ahead).
HORIZON_YEARS = 4
MAX_CRON = 128
MAX_ZONE = 64


def cron_at(cron: str, start: datetime) -> croniter:
    return croniter(cron, start, max_years_between_matches=HORIZON_YEARS)


@functools.cache
def zones() -> frozenset[str]:
    # ZoneInfo alone accepts too much: `America` is a directory (IsADirectoryError).
    return frozenset(available_timezones())


def cron_problem(cron: str, timezone: str, now: datetime) -> str | None:
    """Why a five-field cron cannot work in `timezone`, or None."""
    if len(cron) > MAX_CRON or not croniter.is_valid(cron):
        return f"not a valid cron expression: {cron[:MAX_CRON]!r}"
    if len(cron.split()) != 5:
        return "must have 5 fields (minute hour day-of-month month day-of-week)"
    if timezone in zones():
        try:
            cron_at(cron, now.astimezone(ZoneInfo(timezone))).get_next(datetime)
        except (ValueError, KeyError):
            return f"{cron!r} never fires in the next {HORIZON_YEARS} years (is the date real?)"
    return None


def zone_problem(timezone: str) -> str | None:
    if len(timezone) <= MAX_ZONE and timezone in zones():
        return None
    return f"unknown time zone: {timezone[:MAX_ZONE]!r} (e.g. Europe/Berlin)"


def next_fire(cron: str, timezone: str, after: datetime) -> datetime | None:
    """The first fire strictly after `after`, in UTC, on the zone's wall clock: `0 3 * * *`
    in Europe/Berlin is 03:00 local on both sides of a DST change. A fire in the hour
    that is skipped in spring comes at the jump. In autumn a wall-clock time that has
    already fired once is not expected again in the repeated hour, as cron runs it once.
    None when it never fires again within the horizon."""
    zone = ZoneInfo(timezone)
    moments = cron_at(cron, after.astimezone(zone))
    try:
        for _ in range(_MAX_SKIPS):
            fire = moments.get_next(datetime).astimezone(UTC)
            if not _repeats_a_passed_time(fire, zone, after):
                return fire
    except (ValueError, KeyError):
        return None
    return None


# The repeated hour holds at most 60 fires of a five-field cron.
_MAX_SKIPS = 64


def _repeats_a_passed_time(fire: datetime, zone: ZoneInfo, after: datetime) -> bool:
    wall = fire.astimezone(zone).replace(tzinfo=None)
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    return first != fire and first <= after
