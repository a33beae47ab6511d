"""The sizing decision on tables of cases: replicas from offered checks and the
replicas' own measured CPU per message, with headroom, naming the bottleneck."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.capacity import Load, ReplicaCost, advise, loads, recommend
from shared.liveness import Replica

T = datetime(2024, 5, 1, tzinfo=UTC)


def busy(n: int, cpu: float, rate: float) -> list[ReplicaCost]:
    return [ReplicaCost(f"r{i}", cpu, rate) for i in range(n)]


@pytest.mark.parametrize(
    ("load", "recommended", "utilisation", "advice"),
    [
        # 2 executors each at 0.85 cores for 1,000 checks/s: 850 µs per check; 2,000
        # checks/s offered need 1.7 cores, 2.55 with headroom: 3 replicas.
        (
            Load("executor-eu", 2000, busy(2, 0.85, 1000)),
            3,
            85.0,
            "executor-eu: 2 replica(s) at 85% -> add 1",
        ),
        # Idle replicas measured nothing: README's cost per check stands in (350 µs).
        (Load("executor-eu", 1000, busy(1, 0.0, 0.0)), 1, 35.0, "at 35%, enough"),
        # Far more replicas than the load needs.
        (Load("recorder", 1000, busy(4, 0.01, 250)), 1, 1.0, "-> 1 would do"),
        # No replica at all for a region that has checks.
        (Load("executor-ap", 5, []), 1, 0.0, "executor-ap: 0 replica(s) at no replica -> add 1"),
        # Schedulers keep two for failover however light the load.
        (Load("scheduler", 10, busy(1, 0.001, 10)), 2, 0.1, "-> add 1"),
        # Exactly at the headroom line: 1 core with 1.5 headroom needs 2, not 3.
        (Load("notifier", 1000, busy(1, 1.0, 1000)), 2, 100.0, "-> add 1"),
    ],
)
def test_advice_per_service(load, recommended, utilisation, advice):
    found = advise(load)

    assert found.recommended == recommended
    assert found.utilisation_pct == pytest.approx(utilisation, abs=0.1)
    assert advice in found.advice
    assert found.change == recommended - len(load.replicas)


def test_measured_cost_is_total_cpu_over_total_rate_of_working_replicas():
    found = advise(
        Load("executor-eu", 100, [ReplicaCost("a", 0.3, 1000), ReplicaCost("b", 0.1, 0)])
    )
    assert found.measured and found.cpu_per_msg_us == 300.0


def test_the_bottleneck_is_the_largest_shortfall_and_the_summary_names_it():
    offered = {"eu": (1000, 2000.0), "us": (10, 1.0)}
    found = recommend(
        offered,
        [
            Load("executor-eu", 2000, busy(2, 0.85, 1000)),
            Load("executor-us", 1, busy(1, 0.0, 0.0)),
            Load("recorder", 2001, busy(1, 0.07, 2000)),
        ],
    )

    assert found.bottleneck == "executor-eu" and found.checks_per_s == 2001.0
    assert found.summary == "executor-eu: 2 replica(s) at 85% -> add 1"
    assert [o.region for o in found.offered] == ["eu", "us"]
    fits = recommend(offered, [Load("recorder", 100, busy(1, 0.01, 100))])
    assert fits.bottleneck is None and "every service" in fits.summary


def replica(service: str, rid: str, region: str | None = None) -> Replica:
    info = {"region": region} if region else {}
    return Replica(service=service, id=rid, host="h", pid=1, started_at=T, last_seen=T, info=info)


def test_demand_per_service_comes_from_the_offered_checks():
    offered = {"eu": (10, 5.0), "us": (4, 2.0)}
    live = [replica("executor", "e1", "eu"), replica("recorder", "r1"), replica("api", "a1")]

    found = {x.service: x for x in loads(offered, live, {("executor-eu", "e1"): (0.5, 5.0)})}

    assert found["executor-eu"].demand == 5.0 and found["executor-us"].demand == 2.0
    assert found["executor-eu"].replicas == [ReplicaCost("e1", 0.5, 5.0)]
    assert found["executor-us"].replicas == [] and found["recorder"].demand == 7.0
    assert "api" not in found
