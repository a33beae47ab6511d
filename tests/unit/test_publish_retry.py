"""How long a retried publish waits: an attempt sent while a stream has no leader is
never answered, so after a first failure attempts are short and close together, and
the one under way when the election ends does not hold the result up for seconds."""

from __future__ import annotations

import time

import pytest

from shared import bus


async def test_after_a_failed_attempt_the_next_ones_wait_less_and_follow_quickly():
    waits: list[float] = []
    started = time.monotonic()

    async def attempt(wait: float):
        waits.append(wait)
        if len(waits) < 4:
            raise TimeoutError  # no leader: nobody answers
        return "acked"

    assert await bus.retrying(attempt, 30.0, bus.ATTEMPT_TIMEOUT_S, "checks.result.x") == "acked"
    assert waits == [bus.ATTEMPT_TIMEOUT_S] + [bus.RETRY_TIMEOUT_S] * 3
    # Three backoffs, 0.1 + 0.2 + 0.4 s give or take a fifth: well under a second.
    assert time.monotonic() - started < 1.0


def test_backoff_grows_to_half_a_second_and_no_more():
    for tries, base in ((1, 0.1), (2, 0.2), (3, 0.4)):
        assert base * 0.8 <= bus.backoff(tries) <= base * 1.2
    assert all(0.4 <= bus.backoff(n) <= 0.6 for n in range(4, 40))


async def test_past_the_deadline_the_publish_fails_for_the_caller_to_leave_unacked():
    async def attempt(wait: float):
        raise TimeoutError

    with pytest.raises(bus.PublishFailed):
        await bus.retrying(attempt, 0.3, bus.ATTEMPT_TIMEOUT_S, "checks.result.x")
