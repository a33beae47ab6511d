"""Pure rules of dead-letter handling: subject filters, error classes, the report's
grouping and the span syntax."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.dlq import DeadLetter, Filter, error_class, matches, span, subject_matches, summarise

NOW = datetime(2024, 5, 8, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("pattern", "subject", "expected"),
    [
        ("checks.result.eu.m1", "checks.result.eu.m1", True),
        ("checks.result.*.m1", "checks.result.eu.m1", True),
        ("checks.result.>", "checks.result.eu.m1", True),
        ("checks.>", "checks", False),
        ("checks.result.*", "checks.result.eu.m1", False),
        ("checks.result.eu.m1.x", "checks.result.eu.m1", False),
        ("notify.>", "checks.result.eu.m1", False),
    ],
)
def test_subject_patterns_match_like_nats(pattern, subject, expected):
    assert subject_matches(pattern, subject) is expected


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ("ConnectionRefusedError: [Errno 111] refused", "ConnectionRefusedError"),
        ("clickhouse.OperationalError code 241", "clickhouse.OperationalError"),
        ("timeout after 3.2 s on 10.0.0.1:443", "timeout after # s on #.#:#"),
        (
            "webhook answered 404 for 0b9c6a9e-1f7e-4c1e-9a53-8f3e2f6d7a10",
            "webhook answered # for #",
        ),
        ("", "(no error recorded)"),
        (None, "(no error recorded)"),
    ],
)
def test_error_class_blanks_what_varies_between_occurrences(error, expected):
    assert error_class(error) == expected


def letter(
    n: int, consumer: str, error: str, age: timedelta, subject="checks.result.eu.m"
) -> DeadLetter:
    return DeadLetter(
        id=str(n), subject=subject, consumer=consumer, error=error, failed_at=NOW - age
    )


def test_report_groups_by_consumer_and_class_per_window_most_frequent_first():
    letters = [
        letter(1, "recorder", "insert failed after 3 s", timedelta(days=3)),
        letter(2, "recorder", "insert failed after 5 s", timedelta(hours=2)),
        letter(3, "notifier-deliver", "webhook answered 410", timedelta(hours=1)),
        letter(4, "recorder", "insert failed after 9 s", timedelta(hours=1)),
        letter(5, "recorder", "insert failed after 1 s", timedelta(days=8)),
    ]

    day, week = summarise(letters, NOW).windows

    assert (day.window, day.total, week.window, week.total) == ("24h", 3, "7d", 4)
    assert [(r.consumer, r.error_class, r.count) for r in day.reasons] == [
        ("recorder", "insert failed after # s", 2),
        ("notifier-deliver", "webhook answered #", 1),
    ]
    assert week.reasons[0].count == 3 and week.reasons[0].example == "insert failed after 9 s"
    assert week.reasons[0].last_at == NOW - timedelta(hours=1)


def test_filters_combine_and_an_empty_one_narrows_nothing():
    d = letter(7, "recorder", "Insert FAILED", timedelta(hours=1))
    assert matches(Filter(), d) and not Filter().narrows()
    assert matches(Filter(consumer="recorder", error="insert failed", subject="checks.>"), d)
    assert not matches(Filter(consumer="notifier-state"), d)
    assert not matches(Filter(ids=[8]), d) and matches(Filter(ids=[7, 8]), d)
    assert matches(Filter(since=NOW - timedelta(hours=2), until=NOW), d)
    assert not matches(Filter(since=NOW - timedelta(minutes=30)), d)
    assert Filter(until=NOW).narrows()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7d", timedelta(days=7)), ("12h", timedelta(hours=12)), ("30m", timedelta(minutes=30))],
)
def test_spans_read_a_number_and_a_unit(text, expected):
    assert span(text) == expected


@pytest.mark.parametrize("text", ["7", "d", "-1d", "7w", "99999d", "1.5h"])
def test_bad_spans_are_refused_with_a_reason(text):
    with pytest.raises(ValueError, match=r"span|longer"):
        span(text)
