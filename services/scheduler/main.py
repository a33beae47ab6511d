"""Scheduler: turns the set of monitors into due checks on `checks.due.<region>.<id>`.

It follows the MONITORS stream (an ordered consumer started before the Postgres
snapshot is read, so no change falls in between) and reconciles with Postgres
periodically, so it heals from any missed event.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import UTC, datetime

import asyncpg
import msgspec
from nats.js.api import ConsumerConfig, DeliverPolicy

from services.scheduler import leases, store
from services.scheduler.leases import partition_of
from services.scheduler.plan import Due, Plan
from services.scheduler.slots import check_id
from shared import bus, db, metrics, service, topology
from shared.aio import sleep_or_stop, supervise
from shared.events import (
    CheckDue,
    MonitorDeleted,
    MonitorUpserted,
    monitor_decoder,
    state_change_decoder,
)

LATENESS = metrics.Histogram(
    "upmon_schedule_lateness_seconds",
    "Publish time minus scheduled time of due checks.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
MONITORS = metrics.Gauge("upmon_scheduler_monitors", "Monitors this replica knows.")
PARTITIONS = metrics.Gauge("upmon_scheduler_partitions", "Partitions this replica holds.")
# Slots are phase-spread, so with many monitors one falls due every few milliseconds:
# gathering them this long makes one pipelined publish of many instead of a publish
# (and a socket write) each, for at most this much more lateness.
MIN_TICK_S = 0.025
PUBLISH_CHUNK = 5_000
# Unpublished due checks kept through a NATS outage, at most.
MAX_PENDING = 200_000


def due_events(due: Due) -> list[tuple[str, CheckDue, str]]:
    """One due check per region; the msg id makes a republished slot a duplicate."""
    m = due.monitor
    cid = check_id(m.id, due.slot)
    at = datetime.fromtimestamp(due.scheduled_at, UTC)
    deadline = datetime.fromtimestamp(due.deadline, UTC)
    return [
        (
            topology.due_subject(region, m.id),
            CheckDue(
                check_id=cid,
                monitor_id=m.id,
                region=region,
                slot=due.slot,
                scheduled_at=at,
                deadline=deadline,
                monitor=m,
            ),
            f"{cid}:{region}",
        )
        for region in m.regions
    ]


class Scheduler:
    def __init__(self, ctx: service.Context, pool: asyncpg.Pool) -> None:
        self.ctx = ctx
        self.pool = pool
        self.plan = Plan()
        self.wake = asyncio.Event()
        self.pending: list[Due] = []
        self.partitions = ctx.settings.scheduler_partitions
        self.owned: set[int] = set()

    def on_event(self, data: bytes) -> None:
        event = monitor_decoder.decode(data)
        if isinstance(event, MonitorUpserted):
            self.plan.upsert(event.monitor, time.time())
        elif isinstance(event, MonitorDeleted):
            self.plan.remove(event.monitor_id, event.version)
        self.wake.set()

    async def follow(self) -> None:
        info = await self.ctx.js.stream_info("MONITORS")
        config = ConsumerConfig(
            deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
            opt_start_seq=info.state.last_seq + 1,
        )

        async def handle(msg) -> None:
            try:
                self.on_event(msg.data)
            except (msgspec.DecodeError, msgspec.ValidationError) as exc:
                self.ctx.log.error("bad_monitor_event", error=str(exc), subject=msg.subject)

        await self.ctx.js.subscribe(
            f"{topology.MONITOR_EVENTS}.>", cb=handle, ordered_consumer=True, config=config
        )

    async def follow_states(self) -> None:
        """The notifier's failing flags: the latest per monitor first, then each change."""

        async def handle(msg) -> None:
            try:
                change = state_change_decoder.decode(msg.data)
            except (msgspec.DecodeError, msgspec.ValidationError):
                return  # other incident events share the stream
            self.plan.set_failing(change.monitor_id, change.failing, time.time())
            self.wake.set()

        await self.ctx.js.subscribe(
            f"{topology.INCIDENT_EVENTS}.state.>",
            cb=handle,
            ordered_consumer=True,
            deliver_policy=DeliverPolicy.LAST_PER_SUBJECT,
        )

    async def reconcile(self) -> None:
        monitors = await store.live_monitors(self.pool)
        now = time.time()
        live = {m.id for m in monitors}
        for m in monitors:
            self.plan.upsert(m, now)
        for gone in self.plan.ids() - live:
            self.plan.remove(gone, self.plan.get(gone).version)  # type: ignore[union-attr]
        MONITORS.set(len(self.plan))
        self.wake.set()

    async def reconcile_forever(self) -> None:
        while not await sleep_or_stop(self.ctx.stop, self.ctx.settings.scheduler_reconcile_s):
            try:
                await self.reconcile()
            except Exception as exc:
                if not db.unavailable(exc):
                    raise
                self.ctx.log.warning("reconcile_failed", error=repr(exc))

    async def tick(self) -> None:
        now = time.time()
        # Due checks that could not be published yet are retried until their deadline.
        mine = [d for d in self.plan.pop_due(now) if self.owns(d.monitor.id)]
        # Slots that could not be published (NATS away) are kept, even past their
        # deadline: the executor then records them as missed instead of leaving a gap.
        self.pending = self.pending[-MAX_PENDING:] + mine
        while self.pending:
            # In chunks: a start-up or takeover burst of 100,000 due checks would
            # otherwise be encoded, and wait for its acks, all at once.
            batch = self.pending[:PUBLISH_CHUNK]
            items = [item for d in batch for item in due_events(d)]
            try:
                await bus.publish_many(self.ctx.js, items)
            except Exception as exc:
                self.ctx.log.warning("due_publish_failed", error=repr(exc), pending=len(batch))
                return
            # Keep what a takeover added while we were publishing.
            del self.pending[: len(batch)]
            published = time.time()
            for d in batch:
                LATENESS.observe(max(0.0, published - d.scheduled_at))
            metrics.PUBLISHED.labels("CHECKS").inc(len(items))

    def owns(self, monitor_id: str) -> bool:
        return partition_of(monitor_id, self.partitions) in self.owned

    async def hold_leases(self) -> None:
        kv = await self.ctx.js.key_value(leases.BUCKET)
        held = leases.Leases(kv, self.ctx.settings.replica_id, self.partitions)
        try:
            while not self.ctx.stop.is_set():
                try:
                    gained, lost = await held.refresh()
                except Exception as exc:  # NATS away: keep what we had until it expires
                    self.ctx.log.warning("lease_refresh_failed", error=repr(exc))
                    gained, lost = set(), set()
                self._take(set(held.held), gained, lost)
                await sleep_or_stop(self.ctx.stop, leases.RENEW_S)
        finally:
            # A clean stop hands partitions over at once instead of after the TTL.
            with contextlib.suppress(Exception):
                await held.release_all()

    def _take(self, owned: set[int], gained: set[int], lost: set[int]) -> None:
        self.owned = owned
        self.ctx.info["partitions"] = str(len(owned))
        PARTITIONS.set(len(owned))
        if gained:
            taken = {m for m in self.plan.ids() if partition_of(m, self.partitions) in gained}
            # The previous owner may have died up to a lease TTL ago without
            # publishing; whatever it did publish, the duplicate window drops.
            now = time.time()
            self.pending += self.plan.recent(taken, now - leases.TAKEOVER_LOOKBACK_S, now)
            self.ctx.log.info("partitions_gained", gained=len(gained), held=len(owned))
            self.wake.set()
        if lost:
            self.ctx.log.info("partitions_lost", lost=len(lost), held=len(owned))

    async def loop(self) -> None:
        while not self.ctx.stop.is_set():
            await self.tick()
            next_at = self.plan.next_at()
            wait = 1.0 if next_at is None else max(MIN_TICK_S, min(1.0, next_at - time.time()))
            if self.pending:
                wait = 0.5
            self.wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), wait)


async def main(ctx: service.Context) -> None:
    pool = await db.connect_pool(ctx.settings.pg_dsn, ctx.settings.pg_pool_max)
    scheduler = Scheduler(ctx, pool)
    await scheduler.follow()
    await scheduler.reconcile()
    await scheduler.follow_states()
    ctx.log.info("schedule_loaded", monitors=len(scheduler.plan))
    try:
        await supervise(
            ctx.stop, scheduler.loop(), scheduler.reconcile_forever(), scheduler.hold_leases()
        )
    finally:
        await pool.close()


def run() -> None:
    service.run("scheduler", main)
