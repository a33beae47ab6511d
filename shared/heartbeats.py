"""Heartbeat pings, kept in a JetStream KV bucket: the api writes the last ping
of each heartbeat monitor, the executor reads it when the monitor's check is due.
The bucket is file-backed, so no restart of any service forgets a ping."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec
import nats.js.errors
from nats.js import JetStreamContext

BUCKET = "upmon_heartbeats"


class Ping(msgspec.Struct, kw_only=True):
    at: datetime
    status: Literal["up", "down"] = "up"
    msg: str | None = None


_decode = msgspec.json.Decoder(Ping).decode


async def record(js: JetStreamContext, monitor_id: str, ping: Ping) -> Ping | None:
    """Store the ping; returns the one it replaced, if any."""
    kv = await js.key_value(BUCKET)
    previous = await last(js, monitor_id)
    await kv.put(monitor_id, msgspec.json.encode(ping))
    return previous


async def last(js: JetStreamContext, monitor_id: str) -> Ping | None:
    kv = await js.key_value(BUCKET)
    try:
        entry = await kv.get(monitor_id)
    except (nats.js.errors.KeyNotFoundError, nats.js.errors.KeyDeletedError):
        return None
    return _decode(entry.value) if entry.value else None
