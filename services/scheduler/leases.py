"""Partition ownership for scheduler replicas, held as leases in a JetStream KV bucket.

Monitors hash into a fixed number of partitions. Each replica holds a fair
share: it creates free partition keys (create succeeds only if absent), renews
its own with compare-and-set updates, and releases any beyond its share so a
newcomer can take them. The bucket's TTL expires the leases of a replica that
died, so its partitions move within a few seconds. Two replicas that briefly
both publish a partition during a handover publish the same due ids, which the
CHECKS stream's duplicate window drops.

Who holds what is read from one long-lived watcher over the bucket (`BucketView`),
not by listing keys and getting each every second: a listing costs a consumer on
the server per call and one request per key.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import math
import re
from datetime import datetime, timedelta

import nats.js.errors
from nats.js.kv import KV_DEL, KV_PURGE, KeyValue

from shared.logs import get
from shared.topology import LEASE_TTL_S, LEASES_BUCKET

log = get("scheduler.leases")

BUCKET = LEASES_BUCKET
# Three renewals fit in a lease's lifetime: one lost renewal does not lose the lease.
RENEW_S = LEASE_TTL_S / 3
# How far back a new owner re-issues slots. Generous on purpose: a NATS outage can
# leave the old owner unable to publish for longer than a lease lives, and the
# CHECKS stream's duplicate window (10 min by default) drops whatever it did publish.
TAKEOVER_LOOKBACK_S = 120.0
# A watcher that has not delivered our own write within this long is replaced.
CATCH_UP_S = 2.0


def partition_of(monitor_id: str, partitions: int) -> int:
    digest = hashlib.blake2b(monitor_id.encode(), digest_size=8, person=b"partition").digest()
    return int.from_bytes(digest, "big") % partitions


def fair_share(partitions: int, replicas: int) -> int:
    return math.ceil(partitions / max(1, replicas))


def live(
    values: dict[str, tuple[bytes, datetime]], server_now: datetime | None, ttl_s: float
) -> dict[str, bytes]:
    """Entries the bucket's TTL has not expired yet.

    The server drops an expired lease without telling watchers, so expiry is
    judged here, against the server's own clock: the newest write timestamp seen,
    which our own renewal moves every second. No clock of this host is involved.
    """
    if server_now is None:
        return {k: v for k, (v, _) in values.items()}
    horizon = server_now - timedelta(seconds=ttl_s)
    return {k: v for k, (v, at) in values.items() if at > horizon}


class BucketView:
    """The bucket as one ordered watcher delivers it: key -> (value, written at)."""

    def __init__(self, kv: KeyValue, ttl_s: float = LEASE_TTL_S) -> None:
        self.kv = kv
        self.ttl_s = ttl_s
        self.values: dict[str, tuple[bytes, datetime]] = {}
        self.revision = 0
        self.server_now: datetime | None = None
        self._changed = asyncio.Event()
        self._watcher: KeyValue.KeyWatcher | None = None
        self._follower: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.stop()
        self.values.clear()
        self.revision = 0
        self._watcher = await self.kv.watchall()
        self._follower = asyncio.create_task(self._follow(self._watcher))

    async def stop(self) -> None:
        if self._follower is not None:
            self._follower.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._follower
            self._follower = None
        if self._watcher is not None:
            with contextlib.suppress(Exception):
                await self._watcher.stop()
            self._watcher = None

    async def _follow(self, watcher: KeyValue.KeyWatcher) -> None:
        async for entry in watcher:
            if entry is not None:  # None marks the end of the initial values
                self.apply(entry)

    def apply(self, entry: KeyValue.Entry) -> None:
        if entry.operation in (KV_DEL, KV_PURGE) or not entry.value:
            self.values.pop(entry.key, None)
        elif entry.created is not None:
            self.values[entry.key] = (entry.value, entry.created)
        if entry.created is not None and (
            self.server_now is None or entry.created > self.server_now
        ):
            self.server_now = entry.created
        self.revision = max(self.revision, entry.revision or 0)
        self._changed.set()

    async def caught_up(self, revision: int, timeout: float = CATCH_UP_S) -> bool:
        """Wait until the watcher has delivered `revision`; False if it did not in time."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.revision < revision:
            left = deadline - loop.time()
            if left <= 0:
                return False
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), left)
        return True

    def entries(self) -> dict[str, bytes]:
        return live(self.values, self.server_now, self.ttl_s)


class Leases:
    def __init__(self, kv: KeyValue, owner: str, partitions: int) -> None:
        self.kv = kv
        self.owner = owner.encode()
        self.partitions = partitions
        self.held: dict[int, int] = {}  # partition -> revision of our lease
        self.view = BucketView(kv)
        self._watching = False

    async def _entries(self, revision: int) -> dict[str, bytes]:
        if not self._watching:
            await self.view.start()
            self._watching = True
        if not await self.view.caught_up(revision):
            # A watcher can go quiet across a server restart; start a fresh one.
            log.warning("lease_watcher_restarted", seen=self.view.revision, wanted=revision)
            await self.view.start()
            if not await self.view.caught_up(revision):
                raise TimeoutError("lease watcher did not catch up")
        return self.view.entries()

    async def refresh(self) -> tuple[set[int], set[int]]:
        """Announce, renew, rebalance and acquire; returns (gained, lost) partitions."""
        before = set(self.held)
        # Membership is announced apart from leases, so a newcomer holding nothing
        # yet still counts towards everyone's fair share.
        revision = await self.kv.put(self._member_key, self.owner)
        await self._renew()
        entries = await self._entries(max([revision, *self.held.values()]))
        members = sum(1 for k in entries if k.startswith("member."))
        holders = {int(k[1:]) for k in entries if k.startswith("p")}
        share = fair_share(self.partitions, max(1, members))
        await self._release_beyond(share)
        for p in range(self.partitions):
            if len(self.held) >= share:
                break
            if p not in holders and p not in self.held:
                await self._acquire(p)
        after = set(self.held)
        return after - before, before - after

    async def release_all(self) -> None:
        for p in list(self.held):
            await self._release(p)
        with contextlib.suppress(nats.js.errors.Error):
            await self.kv.delete(self._member_key)
        await self.view.stop()

    @property
    def _member_key(self) -> str:
        return "member." + re.sub(r"[^A-Za-z0-9_=-]", "_", self.owner.decode())

    async def _renew(self) -> None:
        for p, rev in list(self.held.items()):
            # Other errors (NATS away) propagate and keep the lease as held: while
            # NATS is down nobody else can take it, and once it is back a lease
            # that expired meanwhile fails here and is dropped.
            try:
                self.held[p] = await self.kv.update(f"p{p}", self.owner, last=rev)
            except (nats.js.errors.KeyWrongLastSequenceError, nats.js.errors.KeyNotFoundError):
                self.held.pop(p)  # expired, perhaps taken by another replica

    async def _acquire(self, p: int) -> None:
        # Another replica may be faster: then the key exists and create fails.
        with contextlib.suppress(nats.js.errors.Error):
            self.held[p] = await self.kv.create(f"p{p}", self.owner)

    async def _release_beyond(self, share: int) -> None:
        for p in sorted(self.held)[share:]:
            await self._release(p)

    async def _release(self, p: int) -> None:
        rev = self.held.pop(p)
        with contextlib.suppress(nats.js.errors.Error):  # expired already
            await self.kv.delete(f"p{p}", last=rev)
