"""The periodic anomaly pass: every monitor and region judged against its own past
(shared/anomaly.py on what shared/anomaly_data.py reads), incidents of kind `anomaly`
opened and resolved, their events written to the outbox in the same transaction.

Replicas take turns through a transaction-scoped advisory lock; even without it a
pass is idempotent, since at most one anomaly incident is open per monitor, region
and metric (a unique index) and an event is written only by the insert or update
that changed the row. The monitor's status is untouched: an anomaly is not an outage.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime

import asyncpg
import msgspec
from clickhouse_connect.driver.asyncclient import AsyncClient

from services.notifier import store
from services.notifier.decide import monitor_ref
from shared import anomaly, anomaly_data, outbox, topology
from shared.anomaly import AnomalySpec, Finding
from shared.events import (
    AnomalyCleared,
    AnomalyDetected,
    AnomalyRef,
    IncidentRef,
    MonitorRef,
    utcnow,
)
from shared.logs import get
from shared.maintenance import Windows, in_maintenance

log = get("notifier.anomalies")
# Any constant that no other advisory lock of upmon's uses.
PASS_LOCK = 0x75706D6F6E616E
DEFAULT_SPEC = AnomalySpec()


class Watched(msgspec.Struct, kw_only=True):
    """The few fields of a stored monitor a pass needs."""

    id: str
    name: str
    kind: str
    target: str = ""
    channel_ids: list[str] = []
    tags: list[str] = []
    paused: bool = False
    anomaly: AnomalySpec | None = None

    @property
    def spec(self) -> AnomalySpec:
        return self.anomaly or DEFAULT_SPEC

    def ref(self) -> MonitorRef:
        return monitor_ref(self)


@dataclass
class OpenAnomaly:
    incident_id: str
    opened_at: datetime
    ref: AnomalyRef


@dataclass
class PassResult:
    judged: int = 0
    detected: list[tuple[Watched, str, Finding, anomaly.Baseline]] = field(default_factory=list)
    cleared: list[tuple[Watched, OpenAnomaly]] = field(default_factory=list)


def decide(
    monitors: dict[str, Watched],
    inputs: anomaly_data.Inputs,
    open_now: dict[tuple[str, str, str], OpenAnomaly],
    quiet: set[str],
) -> PassResult:
    """Pure: what the pass opens and clears, from what it read."""
    out = PassResult()
    keys = set(inputs.windows) | set(inputs.failures) | {(m, r) for m, r, _ in open_now}
    keys |= {(m, anomaly.JOB_REGION) for m in inputs.jobs}
    for monitor_id, region in sorted(keys):
        m = monitors.get(monitor_id)
        if m is None or m.paused or monitor_id in quiet:
            continue
        opened = {metric for mid, reg, metric in open_now if (mid, reg) == (monitor_id, region)}
        verdict = anomaly_data.judge_key(m.spec, inputs, monitor_id, region, frozenset(opened))
        out.judged += 1
        for finding in verdict.detected:
            out.detected.append((m, region, finding, verdict.baseline))
        for metric in verdict.cleared:
            out.cleared.append((m, open_now[(monitor_id, region, metric)]))
    return out


def anomaly_ref(region: str, f: Finding, base: anomaly.Baseline | None) -> AnomalyRef:
    return AnomalyRef(
        region=region,
        metric=f.metric,
        current=f.current,
        baseline=f.baseline,
        severity=f.severity,
        deviation=f.deviation,
        seasonality=f.seasonality or (base.seasonality if base else ""),
    )


async def _monitors(conn: asyncpg.Connection) -> dict[str, Watched]:
    rows = await conn.fetch(
        "SELECT doc::text FROM monitor_definitions WHERE deleted_at IS NULL"
        " AND coalesce((doc->'anomaly'->>'enabled')::boolean, true)"
    )
    decoder = msgspec.json.Decoder(Watched)
    found = [decoder.decode(r["doc"]) for r in rows]
    return {m.id: m for m in found}


async def _open(conn: asyncpg.Connection) -> dict[tuple[str, str, str], OpenAnomaly]:
    out = {}
    for r in await store.open_anomalies(conn):
        ref = msgspec.json.decode(r.details, type=AnomalyRef)
        out[(r.monitor_id, r.region, r.metric)] = OpenAnomaly(r.id, r.opened_at, ref)
    return out


async def _opt_in(conn: asyncpg.Connection) -> set[str]:
    rows = await conn.fetch(
        "SELECT id::text FROM channel_definitions"
        " WHERE deleted_at IS NULL AND 'anomaly' = ANY(events)"
    )
    return {r["id"] for r in rows}


async def _quiet(conn: asyncpg.Connection, windows: Windows, monitors, now) -> set[str]:
    """Monitors inside a maintenance window: nothing opens for them meanwhile."""
    active = await windows.get(conn)
    # in_maintenance reads a monitor's id and tags, which Watched has.
    return {m.id for m in monitors.values() if active and in_maintenance(active, m, now)}


async def run_pass(
    pool: asyncpg.Pool,
    ch: AsyncClient,
    database: str,
    spans: anomaly_data.Spans,
    windows: Windows,
    now: datetime | None = None,
    cache: anomaly_data.HourCache | None = None,
) -> PassResult | None:
    """One pass; None when another replica holds the pass right now."""
    now = now or utcnow()
    async with pool.acquire() as conn, conn.transaction():
        if not await conn.fetchval("SELECT pg_try_advisory_xact_lock($1)", PASS_LOCK):
            return None
        monitors = await _monitors(conn)
        open_now = await _open(conn)
        quiet = await _quiet(conn, windows, monitors, now)
        # As many windows as the most demanding monitor needs.
        k = max((m.spec.min_consecutive for m in monitors.values()), default=1)
        spans = msgspec.structs.replace(spans, consecutive=k)
        inputs = await anomaly_data.read(ch, database, None, spans, now=now, cache=cache)
        result = decide(monitors, inputs, open_now, quiet)
        await _write(conn, result, await _opt_in(conn), now)
    return result


async def _write(conn: asyncpg.Connection, result: PassResult, opt_in: set[str], now) -> None:
    for m, region, finding, base in result.detected:
        ref = anomaly_ref(region, finding, base)
        incident_id = str(uuid.uuid4())
        row = store.AnomalyRow(
            id=incident_id,
            monitor_id=m.id,
            region=region,
            metric=finding.metric,
            opened_at=now,
            details=msgspec.json.encode(ref).decode(),
        )
        inserted = await store.open_anomaly(conn, row, describe(ref))
        if not inserted:
            continue  # another pass opened it first
        event = AnomalyDetected(
            monitor=m.ref(),
            incident=IncidentRef(id=incident_id, opened_at=now, regions=[region]),
            anomaly=ref,
            channel_ids=[c for c in m.channel_ids if c in opt_in],
        )
        await outbox.enqueue(conn, topology.incident_subject("anomaly", m.id), event)
    for m, found in result.cleared:
        updated = await store.resolve_anomaly(conn, found.incident_id, now)
        if not updated:
            continue
        incident = IncidentRef(
            id=found.incident_id,
            opened_at=found.opened_at,
            resolved_at=now,
            resolved_by="auto",
            regions=[found.ref.region],
        )
        event = AnomalyCleared(
            monitor=m.ref(),
            incident=incident,
            anomaly=found.ref,
            channel_ids=[c for c in m.channel_ids if c in opt_in],
        )
        await outbox.enqueue(conn, topology.incident_subject("anomaly", m.id), event)


def describe(a: AnomalyRef) -> str:
    if a.metric == "job_duration":
        return (
            f"job runs take {a.current:g} s, usually {a.baseline:g} s"
            f" (x{a.deviation:g}, {a.severity})"
        )
    if a.metric == "job_runs":
        return (
            f"{a.current:g} job runs in the last 24 h, usually {a.baseline:g}"
            f" (x{a.deviation:g}, {a.severity})"
        )
    if a.metric == "failure_rate":
        return (
            f"failure rate {a.current:.1%} in {a.region}, usually {a.baseline:.1%}"
            f" (+{a.deviation:g} points, {a.severity})"
        )
    what = "median latency" if a.metric == "latency_p50" else "p95 latency"
    return (
        f"{what} {a.current:.0f} ms in {a.region}, usually {a.baseline:.0f} ms"
        f" (x{a.deviation:g}, {a.severity})"
    )


async def run(
    pool: asyncpg.Pool,
    connect_clickhouse,
    database: str,
    spans: anomaly_data.Spans,
    windows: Windows,
    stop: asyncio.Event,
) -> None:
    ch = None
    cache = anomaly_data.HourCache()
    while not stop.is_set():
        try:
            ch = ch or await connect_clickhouse()
            result = await run_pass(pool, ch, database, spans, windows, cache=cache)
            if result and (result.detected or result.cleared):
                log.info(
                    "anomaly_pass",
                    judged=result.judged,
                    detected=len(result.detected),
                    cleared=len(result.cleared),
                )
        except Exception as exc:  # a part away: the next pass tries again
            log.warning("anomaly_pass_failed", error=repr(exc))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), spans.step_s)
    if ch is not None:
        with contextlib.suppress(Exception):
            await ch.close()
