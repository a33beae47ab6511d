"""Partition ownership for scheduler replicas, held as leases in a JetStream KV bucket.

Monitors hash into a fixed number of partitions. Each replica holds a fair
share: it creates free partition keys (create succeeds only if absent), renews
its own with compare-and-set updates, and releases any beyond its share so a
newcomer can take them. The bucket's TTL expires the leases of a replica that
died, so its partitions move within a few seconds. Two replicas that briefly
both publish a partition during a handover publish the same due ids, which the
CHECKS stream's duplicate window drops.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import re

import nats.js.errors
from nats.js.kv import KeyValue

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


def partition_of(monitor_id: str, partitions: int) -> int:
    digest = hashlib.blake2b(monitor_id.encode(), digest_size=8, person=b"partition").digest()
    return int.from_bytes(digest, "big") % partitions


def fair_share(partitions: int, replicas: int) -> int:
    return math.ceil(partitions / max(1, replicas))


class Leases:
    def __init__(self, kv: KeyValue, owner: str, partitions: int) -> None:
        self.kv = kv
        self.owner = owner.encode()
        self.partitions = partitions
        self.held: dict[int, int] = {}  # partition -> revision of our lease

    async def _entries(self) -> dict[str, bytes]:
        try:
            keys = await self.kv.keys()
        except nats.js.errors.NoKeysError:
            return {}
        found = {}
        for key in keys:
            with contextlib.suppress(
                nats.js.errors.KeyNotFoundError, nats.js.errors.KeyDeletedError
            ):
                entry = await self.kv.get(key)
                if entry.value:
                    found[key] = entry.value
        return found

    async def refresh(self) -> tuple[set[int], set[int]]:
        """Announce, renew, rebalance and acquire; returns (gained, lost) partitions."""
        before = set(self.held)
        # Membership is announced apart from leases, so a newcomer holding nothing
        # yet still counts towards everyone's fair share.
        await self.kv.put(self._member_key, self.owner)
        await self._renew()
        entries = await self._entries()
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
