"""Occurrences of recurring maintenance windows, across daylight saving."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.maintenance import occurrences


def test_a_window_running_now_comes_first_then_the_next_ones():
    at = datetime(2024, 3, 30, 1, 45, tzinfo=UTC)  # 02:45 in Berlin, inside 02:30-03:30
    found = occurrences("30 2 * * *", 3600, "Europe/Berlin", at, 3)

    assert found[0][0] == datetime(2024, 3, 30, 1, 30, tzinfo=UTC)  # winter time: UTC+1
    assert found[0][1] == datetime(2024, 3, 30, 2, 30, tzinfo=UTC)
    assert found[2][0] == datetime(2024, 4, 1, 0, 30, tzinfo=UTC)  # summer time: UTC+2
    assert all(b > a for a, b in found)


def test_a_window_that_ended_is_not_listed():
    at = datetime(2024, 1, 10, 12, 0, tzinfo=UTC)
    found = occurrences("0 9 * * 1-5", 1800, "UTC", at, 2)
    assert [s for s, _ in found] == [
        datetime(2024, 1, 11, 9, 0, tzinfo=UTC),
        datetime(2024, 1, 12, 9, 0, tzinfo=UTC),
    ]
