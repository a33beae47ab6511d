"""Operations history: queue depth, rates and lag, and each replica's CPU and
throughput, sampled every 10 s into ClickHouse's `ops_samples` by the recorder, and
read back for /api/v1/ops/history and capacity planning.

Rates are differences between two snapshots, so they are computed where the previous
snapshot is kept (the sampler). Rows are keyed by the 10 s bucket they describe: a
second replica sampling the same bucket replaces, never doubles, them."""

from __future__ import annotations

import contextlib
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

import nats.js.errors
from nats.js import JetStreamContext

from shared import liveness

EVERY_S = 10
TABLE = "ops_samples"

# Per consumer (stream, consumer).
GAUGES = ("pending", "ack_pending", "redelivered", "lag_s")
# Per consumer: messages acked per second; per stream: messages stored per second.
RATES = ("rate_out", "rate_in")
# Per stream: messages held.
DEPTH = ("messages",)
# Per replica (service key, replica id): cores in use and messages handled per second.
REPLICA = ("replica_cpu", "replica_rate")
# What each recorder replica saw in the results it stored (consumer = its replica id):
# p99 of how late checks started and of result-to-row time, results stored, and failed
# checks per error kind (stream = the kind).
RECORDED = ("schedule_lag_p99_ms", "check_to_row_p99_ms", "results_recorded", "errors")
COUNTS = ("results_recorded", "errors")
METRICS = GAUGES + RATES + DEPTH + REPLICA + RECORDED
Metric = Literal[
    "pending",
    "ack_pending",
    "redelivered",
    "lag_s",
    "rate_out",
    "rate_in",
    "messages",
    "replica_cpu",
    "replica_rate",
    "schedule_lag_p99_ms",
    "check_to_row_p99_ms",
    "results_recorded",
    "errors",
]
# window -> (span, step): about 300 points, whatever the window.
WINDOWS = {
    "1h": (timedelta(hours=1), 10),
    "24h": (timedelta(hours=24), 300),
    "7d": (timedelta(days=7), 1800),
    "30d": (timedelta(days=30), 7200),
}
Window = Literal["1h", "24h", "7d", "30d"]


@dataclass(frozen=True)
class ConsumerPoint:
    pending: int
    ack_pending: int
    redelivered: int
    ack_floor: int
    lag_s: float


@dataclass(frozen=True)
class ReplicaPoint:
    cpu_s: float
    handled: int
    published: int


@dataclass
class Snapshot:
    at: float
    streams: dict[str, tuple[int, int]] = field(default_factory=dict)  # last_seq, messages
    consumers: dict[tuple[str, str], ConsumerPoint] = field(default_factory=dict)
    replicas: dict[tuple[str, str], ReplicaPoint] = field(default_factory=dict)


Row = tuple[datetime, str, str, str, float]


def bucket(at: float) -> datetime:
    return datetime.fromtimestamp(math.floor(at / EVERY_S) * EVERY_S, UTC)


def service_key(r: liveness.Replica) -> str:
    """Executors are sized per region: `executor-eu`; other services by name."""
    region = r.info.get("region")
    return f"{r.service}-{region}" if r.service == "executor" and region else r.service


def rows(prev: Snapshot | None, cur: Snapshot) -> list[Row]:
    """What one sample stores: gauges always, rates only against a previous snapshot
    (and never negative: a counter that went back means a restart, not a rate)."""
    at = bucket(cur.at)
    out: list[Row] = []
    for (stream, name), c in cur.consumers.items():
        out += [
            (at, "pending", stream, name, float(c.pending)),
            (at, "ack_pending", stream, name, float(c.ack_pending)),
            (at, "redelivered", stream, name, float(c.redelivered)),
            (at, "lag_s", stream, name, c.lag_s),
        ]
    for stream, (_, messages) in cur.streams.items():
        out.append((at, "messages", stream, "", float(messages)))
    dt = cur.at - prev.at if prev is not None else 0.0
    if prev is None or dt <= 0:
        return out
    for (stream, name), c in cur.consumers.items():
        if (before := prev.consumers.get((stream, name))) is not None:
            out.append((at, "rate_out", stream, name, _rate(before.ack_floor, c.ack_floor, dt)))
    for stream, (last_seq, _) in cur.streams.items():
        if (before_s := prev.streams.get(stream)) is not None:
            out.append((at, "rate_in", stream, "", _rate(before_s[0], last_seq, dt)))
    for (svc, rid), r in cur.replicas.items():
        if (was := prev.replicas.get((svc, rid))) is not None:
            work = (r.handled - was.handled) or (r.published - was.published)
            out.append((at, "replica_cpu", svc, rid, max(0.0, (r.cpu_s - was.cpu_s) / dt)))
            out.append((at, "replica_rate", svc, rid, max(0.0, work / dt)))
    return out


def _rate(before: float, after: float, dt: float) -> float:
    return max(0.0, (after - before) / dt)


# -- taking a snapshot ---------------------------------------------------------------------


async def take(js: JetStreamContext, now: float) -> Snapshot:
    snap = Snapshot(at=now)
    for info in await js.streams_info():
        name = info.config.name
        if name.startswith("KV_"):
            continue
        snap.streams[name] = (info.state.last_seq, info.state.messages)
        for c in await js.consumers_info(name):
            floor = c.ack_floor.stream_seq if c.ack_floor else 0
            snap.consumers[(name, c.name)] = ConsumerPoint(
                pending=c.num_pending or 0,
                ack_pending=c.num_ack_pending or 0,
                redelivered=c.num_redelivered or 0,
                ack_floor=floor,
                lag_s=await _lag(js, name, c, floor, now),
            )
    for r in await liveness.replicas(js):
        with contextlib.suppress(KeyError, ValueError):
            snap.replicas[(service_key(r), r.id)] = ReplicaPoint(
                float(r.info["cpu_s"]), int(r.info["handled"]), int(r.info.get("published", 0))
            )
    return snap


async def _lag(js: JetStreamContext, stream: str, c, floor: int, now: float) -> float:
    """Age of the oldest message the consumer has not acked: how far behind it is."""
    if not (c.num_pending or c.num_ack_pending):
        return 0.0
    subject = c.config.filter_subject or ">"
    try:
        raw = await js.get_msg(stream, seq=floor + 1, subject=subject, next=True)
    except nats.js.errors.NotFoundError:
        return 0.0
    return max(0.0, now - raw.time.timestamp()) if raw.time else 0.0


# -- reading it back -----------------------------------------------------------------------


# -- what the recorder sees in the results it stores ---------------------------------------

RESERVOIR = 4096


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


@dataclass
class Observed:
    """Latencies and error kinds of stored results between two samples. Latencies are
    kept in a bounded reservoir (uniform over the interval), so memory stays flat
    whatever the rate."""

    lag_ms: list[float] = field(default_factory=list)
    row_ms: list[float] = field(default_factory=list)
    seen: int = 0
    errors: dict[str, int] = field(default_factory=dict)

    def observe(self, results, stored_at: datetime) -> None:
        for r in results:
            self.seen += 1
            taken = (r.checked_at - r.scheduled_at).total_seconds() * 1000
            self._keep(self.lag_ms, max(0.0, taken - (r.latency_ms or 0.0)))
            self._keep(self.row_ms, max(0.0, (stored_at - r.checked_at).total_seconds() * 1000))
            if r.error_kind:
                self.errors[r.error_kind] = self.errors.get(r.error_kind, 0) + 1

    def _keep(self, values: list[float], value: float) -> None:
        if len(values) < RESERVOIR:
            values.append(value)
            return
        slot = random.randrange(self.seen)
        if slot < RESERVOIR:
            values[slot] = value

    def drain(self, at: float, replica: str) -> list[Row]:
        """This interval's rows; the observations start again from nothing."""
        b = bucket(at)
        out: list[Row] = [(b, "results_recorded", "", replica, float(self.seen))]
        for metric, values in (
            ("schedule_lag_p99_ms", self.lag_ms),
            ("check_to_row_p99_ms", self.row_ms),
        ):
            if (p99 := percentile(values, 0.99)) is not None:
                out.append((b, metric, "", replica, round(p99, 3)))
        out += [(b, "errors", kind, replica, float(n)) for kind, n in sorted(self.errors.items())]
        self.lag_ms, self.row_ms, self.seen, self.errors = [], [], 0, {}
        return out
