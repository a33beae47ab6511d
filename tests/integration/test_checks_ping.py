"""Ping checks with real ICMP echoes to loopback; names that cannot resolve stay local."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from shared.kinds.ping import PingSpec
from shared.monitors import Monitor
from shared.probes import Checker


def monitor(target: str, timeout_s: float = 2.0, **spec: object) -> Monitor:
    at = datetime.now(UTC)
    return Monitor(
        id="m1",
        name="ping target",
        kind="ping",
        target=target,
        timeout_s=timeout_s,
        ping=PingSpec(**spec),
        created_at=at,
        updated_at=at,
    )


@pytest.fixture(scope="module")
async def checker() -> AsyncIterator[Checker]:
    async with Checker() as shared:
        yield shared


async def test_loopback_answers_every_echo(checker):
    outcome = await checker.run(monitor("127.0.0.1", count=3))
    if outcome.error_kind == "unsupported":
        pytest.skip(outcome.error)
    assert (outcome.status, outcome.error_kind, outcome.error) == ("up", None, None)
    d = outcome.details
    assert (d["sent"], d["received"], d["loss_pct"]) == (3, 3, 0.0)
    assert 0 <= d["rtt_min_ms"] <= d["rtt_avg_ms"] <= d["rtt_max_ms"]
    assert outcome.latency_ms == d["rtt_avg_ms"]
    assert outcome.phases.dns_ms is None


async def test_host_name_is_resolved_first(checker):
    outcome = await checker.run(monitor("localhost", count=1))
    if outcome.error_kind == "unsupported":
        pytest.skip(outcome.error)
    assert outcome.status == "up"
    assert outcome.phases.dns_ms is not None


async def test_echoes_are_spread_within_a_short_timeout(checker):
    outcome = await checker.run(monitor("127.0.0.1", timeout_s=0.5, count=20))
    if outcome.error_kind == "unsupported":
        pytest.skip(outcome.error)
    assert outcome.status == "up"
    assert outcome.details["received"] == 20


async def test_any_rtt_above_a_tiny_limit_is_degraded(checker):
    outcome = await checker.run(monitor("127.0.0.1", count=1, degraded_rtt_ms=0.000001))
    if outcome.error_kind == "unsupported":
        pytest.skip(outcome.error)
    assert (outcome.status, outcome.error_kind) == ("degraded", None)
    assert outcome.error.startswith("average RTT ")


async def test_unresolvable_name_is_a_dns_error(checker):
    outcome = await checker.run(monitor("host.invalid"))
    assert (outcome.status, outcome.error_kind) == ("down", "dns")
    assert outcome.error.startswith("could not resolve host.invalid")
