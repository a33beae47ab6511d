"""A liveness record per replica in a KV bucket with a TTL: a replica that stops
renewing disappears by itself, so `ops/services` lists only live ones."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import socket
from collections.abc import Callable
from datetime import datetime
from typing import Any

import msgspec
import nats.errors
from nats.js import JetStreamContext

from shared import procstats
from shared.aio import sleep_or_stop
from shared.events import utcnow
from shared.logs import get
from shared.topology import LIVENESS_BUCKET, LIVENESS_TTL_S

log = get("liveness")


class Replica(msgspec.Struct, kw_only=True):
    service: str
    id: str
    host: str
    pid: int
    started_at: datetime
    last_seen: datetime
    info: dict[str, str] = {}
    # host:port of the NATS server this replica is connected to ("" while away).
    nats_server: str = ""
    nats_reconnects: int = 0


def key(service: str, replica_id: str) -> str:
    return f"{service}.{re.sub(r'[^A-Za-z0-9_=-]', '_', replica_id)}"


async def heartbeat(
    js: JetStreamContext,
    service: str,
    replica_id: str,
    stop: asyncio.Event,
    every_s: float = LIVENESS_TTL_S / 3,
    info: dict[str, str] | None = None,
    link: Callable[[], dict[str, Any]] | None = None,
) -> None:
    """Renew this replica's record until stopped; `info` and `link` (the NATS
    connection's state) are re-read at every beat."""
    record = Replica(
        service=service,
        id=replica_id,
        host=socket.gethostname(),
        pid=os.getpid(),
        started_at=utcnow(),
        last_seen=utcnow(),
    )
    kv = None
    while not stop.is_set():
        try:
            kv = kv or await js.key_value(LIVENESS_BUCKET)
            record.last_seen = utcnow()
            # Costs so far, for capacity planning; a service's own entries win.
            record.info = {**procstats.snapshot(), **(info or {})}
            if link is not None:
                state = link()
                record.nats_server = state["nats_server"]
                record.nats_reconnects = state["nats_reconnects"]
            await kv.put(key(service, replica_id), msgspec.json.encode(record))
        except (nats.errors.Error, OSError) as exc:
            log.warning("liveness_failed", error=repr(exc))
        await sleep_or_stop(stop, every_s)
    with contextlib.suppress(Exception):
        if kv is not None:
            await kv.delete(key(service, replica_id))


async def replicas(js: JetStreamContext) -> list[Replica]:
    kv = await js.key_value(LIVENESS_BUCKET)
    # The keys are read from the stream's own subject counts, not kv.keys(): nats-py's
    # watcher ends its listing early when a record is on its way to it as it starts
    # (seen under load), and the health check then found no scheduler at all.
    prefix = f"$KV.{LIVENESS_BUCKET}."
    info = await js.stream_info(f"KV_{LIVENESS_BUCKET}", subjects_filter=f"{prefix}>")
    keys = [subject.removeprefix(prefix) for subject in info.state.subjects or {}]
    found = []
    for k in keys:
        with contextlib.suppress(nats.js.errors.KeyNotFoundError, nats.js.errors.KeyDeletedError):
            entry = await kv.get(k)
            if entry.value:
                found.append(msgspec.json.decode(entry.value, type=Replica))
    return sorted(found, key=lambda r: (r.service, r.started_at))
