"""NATS connection and publishing with `Nats-Msg-Id`, so a republish is dropped
by the stream's duplicate window instead of doubling an event."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import PubAck

from shared.events import Event, encode
from shared.logs import get

log = get("bus")

MSG_ID = "Nats-Msg-Id"


async def connect(url: str, name: str) -> Client:
    async def on_disconnect() -> None:
        log.warning("nats_disconnected")

    async def on_reconnect() -> None:
        log.info("nats_reconnected")

    async def on_error(exc: Exception) -> None:
        log.warning("nats_error", error=str(exc))

    return await nats.connect(
        url,
        name=name,
        # Services outlive NATS restarts: reconnect forever, buffer while away.
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.5,
        allow_reconnect=True,
        connect_timeout=5,
        disconnected_cb=on_disconnect,
        reconnected_cb=on_reconnect,
        error_cb=on_error,
        pending_size=64 * 1024 * 1024,
    )


def jetstream(nc: Client) -> JetStreamContext:
    return nc.jetstream(timeout=10.0, publish_async_max_pending=8192)


async def publish(
    js: JetStreamContext,
    subject: str,
    event: Event,
    msg_id: str | None = None,
    headers: dict[str, str] | None = None,
) -> PubAck:
    hdrs = dict(headers or {})
    hdrs[MSG_ID] = msg_id or event.id
    return await js.publish(subject, encode(event), headers=hdrs)


async def publish_many(
    js: JetStreamContext,
    items: Iterable[tuple[str, Event, str | None]],
    timeout: float = 10.0,
) -> list[PubAck]:
    """Pipelined publish: all messages go out, then every ack is awaited.

    Raises if any ack fails or times out, so callers ack their input only after
    every output is stored."""
    futures = [
        await js.publish_async(subject, encode(event), headers={MSG_ID: msg_id or event.id})
        for subject, event, msg_id in items
    ]
    if not futures:
        return []
    return list(await asyncio.wait_for(asyncio.gather(*futures), timeout))
