"""Retried publishes in the log: one line a second at most, counting what it stands for."""

from __future__ import annotations

from shared.bus import RetryLog


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.pending: list[tuple[float, object]] = []

    def __call__(self) -> float:
        return self.now

    def schedule(self, delay: float, then) -> None:
        self.pending.append((self.now + delay, then))

    def advance(self, seconds: float) -> None:
        self.now += seconds
        due = [then for at, then in self.pending if at <= self.now]
        self.pending = [(at, then) for at, then in self.pending if at > self.now]
        for then in due:
            then()


def retry_log() -> tuple[RetryLog, Clock, list[tuple[str, dict]]]:
    clock, lines = Clock(), []
    log = RetryLog(
        1.0, clock, lambda level, **fields: lines.append((level, fields)), clock.schedule
    )
    return log, clock, lines


def test_the_first_retry_is_logged_at_once_as_routine():
    log, _, lines = retry_log()
    log.retried(1, TimeoutError(), "checks.result.a.1", 1)
    assert lines == [
        (
            "info",
            {"attempt": 1, "error": "TimeoutError()", "subject": "checks.result.a.1", "count": 1},
        )
    ]


def test_an_election_storm_is_one_line_a_second_counting_every_retry():
    log, clock, lines = retry_log()
    log.retried(1, TimeoutError(), "checks.result.a.1", 1)
    for i in range(500):
        log.retried(1 + i % 4, TimeoutError(), f"checks.result.a.{i}", 2)
        clock.advance(0.001)
    assert len(lines) == 1, lines  # still inside the first second
    clock.advance(0.6)
    assert len(lines) == 2
    level, fields = lines[1]
    # Held back, then let out at the end of the second, with the worst attempt seen.
    assert (level, fields["count"], fields["attempt"]) == ("warning", 1000, 4)
    assert fields["subject"] == "checks.result.a.499"


def test_nothing_held_back_means_no_extra_line():
    log, clock, lines = retry_log()
    log.retried(1, TimeoutError(), "s", 1)
    clock.advance(5)
    assert len(lines) == 1
    assert clock.pending == []


def test_after_a_quiet_second_the_next_retry_is_logged_at_once():
    log, clock, lines = retry_log()
    log.retried(1, TimeoutError(), "s", 1)
    clock.advance(1.5)
    log.retried(2, ConnectionError(), "t", 3)
    assert lines[-1] == (
        "warning",
        {"attempt": 2, "error": "ConnectionError()", "subject": "t", "count": 3},
    )
