"""Ping verdicts and echo pacing: pure functions, no sockets."""

from __future__ import annotations

import pytest

from shared.kinds.ping import PingSpec
from shared.probes.ping import judge, spread, stats


@pytest.mark.parametrize(("count", "budget_s"), [(1, 1.0), (3, 9.95), (3, 0.45), (20, 0.95)])
def test_echoes_and_their_waits_fit_the_budget(count, budget_s):
    interval_s, wait_s = spread(count, budget_s)
    assert 0 < interval_s <= 0.2
    assert wait_s > 0
    assert count * wait_s + (count - 1) * interval_s == pytest.approx(budget_s)


def test_long_budgets_keep_the_usual_interval():
    assert spread(3, 9.95)[0] == 0.2


def test_all_echoes_answered_is_up():
    assert judge(PingSpec(count=3), [0.5, 0.6, 0.7], "10.0.0.1") == ("up", None, None)


def test_every_echo_lost_is_a_timeout():
    assert judge(PingSpec(count=3), [], "10.0.0.1") == (
        "down",
        "timeout",
        "3 of 3 echoes lost: no reply from 10.0.0.1",
    )


def test_loss_above_the_limit_is_packet_loss():
    assert judge(PingSpec(count=3, max_loss_pct=10), [1.0, 1.0], "10.0.0.1") == (
        "down",
        "packet_loss",
        "1 of 3 echoes lost (33.3% > max_loss_pct 10%)",
    )


def test_loss_within_the_limit_is_up():
    assert judge(PingSpec(count=4, max_loss_pct=25), [1.0, 1.0, 1.0], "10.0.0.1")[0] == "up"


def test_slow_average_is_degraded():
    verdict = judge(PingSpec(count=2, degraded_rtt_ms=50), [40.0, 80.0], "10.0.0.1")
    assert verdict == ("degraded", None, "average RTT 60.0 ms is above degraded_rtt_ms (50 ms)")


def test_stats():
    assert stats(4, 4, [1.0, 2.0, 3.0]) == {
        "sent": 4,
        "received": 3,
        "loss_pct": 25.0,
        "rtt_min_ms": 1.0,
        "rtt_avg_ms": 2.0,
        "rtt_max_ms": 3.0,
    }


def test_stats_without_replies_have_no_rtts():
    assert stats(2, 2, []) == {
        "sent": 2,
        "received": 0,
        "loss_pct": 100.0,
        "rtt_min_ms": None,
        "rtt_avg_ms": None,
        "rtt_max_ms": None,
    }
