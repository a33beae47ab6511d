"""One holder at a time for a job any replica could do (sampling operations history):
a key in a KV bucket whose TTL frees it when its holder dies.

The holder renews with a compare-and-set update each time it does the job; the others
try to create the key, which succeeds only once it is gone."""

from __future__ import annotations

import contextlib

import nats.errors
import nats.js.errors
from nats.js.kv import KeyValue

_LOST = (nats.js.errors.KeyWrongLastSequenceError, nats.js.errors.KeyNotFoundError)


class Lease:
    def __init__(self, kv: KeyValue, key: str, owner: str) -> None:
        self.kv = kv
        self.key = key
        self.owner = owner.encode()
        self.revision: int | None = None

    async def hold(self) -> bool:
        """Renew or take the lease; True while this replica holds it. NATS errors other
        than losing it propagate: while NATS is away nobody else can take it either."""
        if self.revision is not None:
            try:
                self.revision = await self.kv.update(self.key, self.owner, last=self.revision)
                return True
            except _LOST:
                self.revision = None  # expired, perhaps taken by another replica
        try:
            self.revision = await self.kv.create(self.key, self.owner)
        except nats.js.errors.KeyWrongLastSequenceError:
            return False
        return True

    async def release(self) -> None:
        """Hand the job over now rather than after the TTL."""
        rev, self.revision = self.revision, None
        if rev is not None:
            with contextlib.suppress(nats.errors.Error, nats.js.errors.Error):
                await self.kv.delete(self.key, last=rev)
