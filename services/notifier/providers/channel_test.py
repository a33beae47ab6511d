"""Answers the api's channel tests: send a test message through the channel's real
provider and reply with the outcome (request/reply as in `responder`)."""

from __future__ import annotations

import asyncio
import uuid

import aiohttp
import asyncpg
import msgspec
from nats.aio.client import Client

from services.notifier import responder, store
from services.notifier.providers.registry import PROVIDERS
from shared import channels, db
from shared.channels import ChannelTestReply
from shared.channels.base import SendContext, SendOutcome
from shared.events import Delivery, MonitorRef, encoder, new_id
from shared.logs import get

log = get("notifier.channel_test")
NO_MONITOR = "00000000-0000-0000-0000-000000000000"


def sample_delivery(channel_id: str, ctx: SendContext) -> Delivery:
    monitor = MonitorRef(id=NO_MONITOR, name="upmon test", kind="test", target=ctx.public_url)
    return Delivery(
        delivery_id=new_id(),
        channel_id=channel_id,
        event="test",
        source_event_id=new_id(),
        monitor=monitor,
    )


async def answer(
    pool: asyncpg.Pool, session: aiohttp.ClientSession, ctx: SendContext, raw: bytes
) -> SendOutcome:
    try:
        channel_id = str(uuid.UUID(channels.test_request_decoder.decode(raw).channel_id))
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError) as exc:
        return SendOutcome(False, error=f"bad test request: {exc}")
    try:
        row = await store.channel(pool, channel_id)
    except Exception as exc:
        if not db.unavailable(exc):
            raise
        return SendOutcome(False, error=f"notifier cannot read the channel: {exc}", retryable=True)
    if row is None:
        return SendOutcome(False, error="channel not found")
    send = PROVIDERS.get(row.kind)
    if send is None:
        return SendOutcome(False, error=f"no provider for channel kind {row.kind!r}")
    return await send(session, sample_delivery(channel_id, ctx), row.config, ctx)


def reply_of(o: SendOutcome) -> bytes:
    return encoder.encode(
        ChannelTestReply(
            ok=o.ok,
            status_code=o.status_code,
            error=o.error,
            retryable=o.retryable,
            retry_after_s=o.retry_after_s,
        )
    )


async def serve(
    nc: Client,
    pool: asyncpg.Pool,
    session: aiohttp.ClientSession,
    ctx: SendContext,
    stop: asyncio.Event,
) -> None:
    """Answer test requests until `stop` is set."""

    async def reply(raw: bytes) -> bytes:
        outcome = await answer(pool, session, ctx, raw)
        log.info("channel_tested", ok=outcome.ok, status_code=outcome.status_code)
        return reply_of(outcome)

    await responder.serve(
        nc, channels.TEST_SUBJECT, channels.TEST_QUEUE, reply, stop, drain_s=ctx.timeout_s
    )
