"""A short in-process cache for public reads (badges, status pages), which anyone
may request as often as they like and which otherwise cost a ClickHouse query each.

Entries live `ttl_s` (the same 30 s their Cache-Control promises), at most
`max_entries` of them, the least recently used going first. Concurrent misses of
one key share a single computation; a failed one is not kept, so a 404 for a
made-up id never takes a slot."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

PUBLIC_TTL_S = 30.0
PUBLIC_MAX_ENTRIES = 10_000


class TtlCache:
    def __init__(self, ttl_s: float = PUBLIC_TTL_S, max_entries: int = PUBLIC_MAX_ENTRIES):
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[float, asyncio.Future]] = OrderedDict()

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[Any]]) -> Any:
        now = time.monotonic()
        hit = self._entries.get(key)
        if hit is not None and hit[0] > now:
            self._entries.move_to_end(key)
            return await asyncio.shield(hit[1])
        task = asyncio.ensure_future(compute())
        self._entries[key] = (now + self.ttl_s, task)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        try:
            # Shielded: one caller hanging up must not cancel the others' answer.
            return await asyncio.shield(task)
        except Exception:
            if self._entries.get(key, (0.0, None))[1] is task:
                del self._entries[key]
            raise
