"""Capacity: how many replicas each service needs for the checks the monitors offer,
from what the replicas themselves measured (CPU per message, from ops_samples).

`recommend` is the decision, pure; `measure` gathers its inputs from Postgres (the
monitors), ClickHouse (the replicas' sampled costs) and the liveness records."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import msgspec

from shared import liveness, opsamples

# Aim replicas at 1/HEADROOM of a core: room for bursts, a lost replica, slow targets.
HEADROOM = 1.5
# How far back replica costs are averaged.
MEASURE_WINDOW_S = 300
# CPU per message when nothing was measured yet (README's end-to-end figures, µs).
DEFAULT_COST_US = {"executor": 350.0, "recorder": 35.0, "notifier": 95.0}
# Failover needs a second scheduler; one replica of anything else can carry its load.
MIN_REPLICAS = {"scheduler": 2}


@dataclass(frozen=True)
class ReplicaCost:
    id: str
    # Cores in use (1.0 = one core) and messages handled per second, averaged.
    cpu: float
    rate: float


@dataclass(frozen=True)
class Load:
    service: str  # a service key: executor-eu, recorder, ...
    demand: float  # messages per second it must handle
    replicas: list[ReplicaCost]


class ReplicaView(msgspec.Struct, kw_only=True):
    id: str
    cpu_pct: float
    per_s: float


class Advice(msgspec.Struct, kw_only=True):
    service: str
    replicas: int
    demand_per_s: float
    # CPU per message; `measured` says whether the replicas' own samples gave it.
    cpu_per_msg_us: float
    measured: bool
    # Share of one core each replica needs for the demand.
    utilisation_pct: float
    recommended: int
    change: int
    advice: str
    per_replica: list[ReplicaView] = []


class Offered(msgspec.Struct, kw_only=True):
    region: str
    monitors: int
    checks_per_s: float


class Capacity(msgspec.Struct, kw_only=True):
    offered: list[Offered]
    checks_per_s: float
    headroom: float
    services: list[Advice]
    # The service furthest past what its replicas can carry, or None when all fit.
    bottleneck: str | None
    summary: str


def _base(service: str) -> str:
    return service.split("-", 1)[0]


def cost_us(load: Load) -> tuple[float, bool]:
    """CPU per message: total cores over total rate of replicas that did work."""
    busy = [r for r in load.replicas if r.rate > 0]
    rate = sum(r.rate for r in busy)
    if rate > 0:
        return sum(r.cpu for r in busy) / rate * 1e6, True
    return DEFAULT_COST_US.get(_base(load.service), 0.0), False


def advise(load: Load, headroom: float = HEADROOM) -> Advice:
    us, measured = cost_us(load)
    cores = load.demand * us / 1e6
    have = len(load.replicas)
    floor = MIN_REPLICAS.get(_base(load.service), 1)
    need = max(floor, math.ceil(cores * headroom - 1e-9))
    utilisation = cores / have * 100 if have else math.inf
    change = need - have
    at = f"{utilisation:.0f}%" if have else "no replica"
    if change > 0:
        text = f"{load.service}: {have} replica(s) at {at} -> add {change}"
    elif change < 0:
        text = f"{load.service}: {have} replica(s) at {at} -> {need} would do"
    else:
        text = f"{load.service}: {have} replica(s) at {at}, enough"
    return Advice(
        service=load.service,
        replicas=have,
        demand_per_s=round(load.demand, 3),
        cpu_per_msg_us=round(us, 1),
        measured=measured,
        utilisation_pct=round(utilisation, 1) if have else 0.0,
        recommended=need,
        change=change,
        advice=text,
        per_replica=[
            ReplicaView(id=r.id, cpu_pct=round(r.cpu * 100, 1), per_s=round(r.rate, 2))
            for r in load.replicas
        ],
    )


def recommend(
    offered: dict[str, tuple[int, float]], loads: list[Load], headroom: float = HEADROOM
) -> Capacity:
    advice = sorted((advise(x, headroom) for x in loads), key=lambda a: a.service)
    short = [a for a in advice if a.change > 0]
    # The bottleneck is the running service most loaded past its headroom; a service
    # with no replica at all is named only when nothing running is short.
    worst = max(short, key=lambda a: (a.replicas > 0, a.utilisation_pct, a.change), default=None)
    total = sum(c for _, c in offered.values())
    return Capacity(
        offered=[
            Offered(region=r, monitors=n, checks_per_s=round(c, 3))
            for r, (n, c) in sorted(offered.items())
        ],
        checks_per_s=round(total, 3),
        headroom=headroom,
        services=advice,
        bottleneck=worst.service if worst else None,
        summary=worst.advice if worst else "every service has the replicas it needs",
    )


def loads(
    offered: dict[str, tuple[int, float]],
    live: list[liveness.Replica],
    costs: dict[tuple[str, str], tuple[float, float]],
) -> list[Load]:
    """What each service must carry: an executor its region's checks, the recorder and
    the notifier every result; the scheduler publishes them all."""
    total = sum(c for _, c in offered.values())
    demand: dict[str, float] = {f"executor-{r}": c for r, (_, c) in offered.items()}
    demand.update({"recorder": total, "notifier": total, "scheduler": total})
    replicas: dict[str, list[ReplicaCost]] = defaultdict(list)
    for r in live:
        key = opsamples.service_key(r)
        if key == "api":
            continue
        cpu, rate = costs.get((key, r.id), (0.0, 0.0))
        replicas[key].append(ReplicaCost(r.id, cpu, rate))
    return [Load(k, demand.get(k, 0.0), replicas.get(k, [])) for k in sorted(demand | replicas)]


# -- gathering the measurements -------------------------------------------------------------

_OFFERED = """
SELECT region, count(*)::int, sum(1.0 / greatest((doc->>'interval_s')::float, 1))::float
FROM monitor_definitions, jsonb_array_elements_text(
    CASE WHEN jsonb_typeof(doc->'regions') = 'array' THEN doc->'regions' ELSE '["default"]' END
) AS region
WHERE deleted_at IS NULL AND NOT paused
GROUP BY region
"""


async def offered(conn) -> dict[str, tuple[int, float]]:
    return {r: (n, float(c)) for r, n, c in await conn.fetch(_OFFERED)}


async def replica_costs(ch, database: str) -> dict[tuple[str, str], tuple[float, float]]:
    rows = (
        await ch.query(
            f"SELECT stream, consumer, avgIf(value, metric = 'replica_cpu'),"
            f" avgIf(value, metric = 'replica_rate') FROM `{database}`.{opsamples.TABLE} FINAL"
            " WHERE metric IN ('replica_cpu', 'replica_rate')"
            " AND at >= now() - toIntervalSecond({span:UInt32}) GROUP BY stream, consumer",
            parameters={"span": MEASURE_WINDOW_S},
        )
    ).result_rows
    return {(s, c): (float(cpu), float(rate)) for s, c, cpu, rate in rows}


async def measure(conn, ch, database: str, js) -> Capacity:
    found = await offered(conn)
    live = await liveness.replicas(js)
    return recommend(found, loads(found, live, await replica_costs(ch, database)))
