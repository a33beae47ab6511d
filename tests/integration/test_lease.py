"""A lease: one holder at a time, handed over on release or when its holder stops renewing."""

from __future__ import annotations

import uuid

from nats.js.api import KeyValueConfig

from shared.lease import Lease
from tests.conftest import eventually


async def bucket(js, ttl_s: float):
    return await js.create_key_value(KeyValueConfig(bucket=f"t_{uuid.uuid4().hex[:8]}", ttl=ttl_s))


async def test_only_one_replica_holds_it_and_a_release_hands_it_over(js):
    kv = await bucket(js, 30)
    a, b = Lease(kv, "job", "a"), Lease(kv, "job", "b")

    assert await a.hold() and not await b.hold()
    assert await a.hold() and not await b.hold()  # renewing keeps it
    await a.release()
    assert await b.hold() and not await a.hold()
    assert (await kv.get("job")).value == b"b"


async def test_a_holder_that_stops_renewing_loses_it_after_the_ttl(js):
    kv = await bucket(js, 1)
    a, b = Lease(kv, "job", "a"), Lease(kv, "job", "b")
    assert await a.hold()

    # a is gone (no renewal): b gets it once the key expires, and a may not come back.
    await eventually(b.hold, timeout=10)
    assert not await a.hold()
    assert a.revision is None and b.revision is not None
