"""Core NATS request/reply for the api's synchronous questions to the notifier, in a
queue group: one notifier replica answers each request, and none answering means
none runs (the api then says so)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import nats.errors
from nats.aio.client import Client
from nats.aio.msg import Msg

from shared.logs import get

log = get("notifier.responder")

Answer = Callable[[bytes], Awaitable[bytes]]


async def serve(
    nc: Client, subject: str, queue: str, answer: Answer, stop: asyncio.Event, drain_s: float
) -> None:
    """Answer requests until `stop` is set, then give those in hand `drain_s` to finish."""
    tasks: set[asyncio.Task[None]] = set()

    async def respond(msg: Msg) -> None:
        try:
            reply = await answer(msg.data)
        except Exception:
            # A bug, not an outage (answers turn those into a reply): the caller hears
            # nothing and says no notifier answered; the error is here.
            log.exception("answer_failed", subject=subject)
            return
        # The api may have given up waiting; nothing is lost if the reply goes nowhere.
        with contextlib.suppress(nats.errors.Error):
            await msg.respond(reply)

    async def on_request(msg: Msg) -> None:
        # A slow answer must not hold up the others.
        task = asyncio.create_task(respond(msg))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    sub = await nc.subscribe(subject, queue=queue, cb=on_request)
    try:
        await stop.wait()
    finally:
        with contextlib.suppress(nats.errors.Error):
            await sub.unsubscribe()
        if tasks:
            await asyncio.wait(tasks, timeout=drain_s)
