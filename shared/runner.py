"""The consume loop, written once: services hand it plain async handlers.

Pull `fetch` in batches with bounded concurrency; ack only after the handler
returned (its effect is durable); `nak(delay)` with exponential backoff on
failure; `in_progress()` while a long handler runs; messages that cannot be
decoded, that a handler rejects, or that exhausted their attempts are copied to
the DLQ stream (with the error and attempt count) before they are acked.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import msgspec
import nats.errors
from nats.aio.msg import Msg
from nats.js import JetStreamContext

from shared import db, metrics
from shared.aio import sleep_or_stop
from shared.bus import PublishFailed
from shared.logs import get
from shared.topology import DLQ, ConsumerSpec

T = TypeVar("T")
log = get("runner")

# Headers the DLQ copy carries; the API and CLI read them back.
H_STREAM, H_SUBJECT, H_SEQ = "Upmon-Original-Stream", "Upmon-Original-Subject", "Upmon-Original-Seq"
H_CONSUMER, H_ERROR, H_ATTEMPTS = "Upmon-Consumer", "Upmon-Error", "Upmon-Attempts"
H_FAILED_AT = "Upmon-Failed-At"


class Retry(Exception):
    """Try again later; `delay` overrides the backoff (e.g. a Retry-After)."""

    def __init__(self, reason: str, delay: float | None = None) -> None:
        super().__init__(reason)
        self.delay = delay


class Reject(Exception):
    """Permanent failure: dead-letter now, never retry."""


class Unavailable(Exception):
    """A dependency (database, ClickHouse) is down: not the message's fault.

    The runner holds the message (keeping it alive with in_progress) and calls
    the handler again with backoff, so an outage never counts towards
    dead-lettering and the backlog waits instead of spinning."""


@contextlib.contextmanager
def postgres_outage() -> Iterator[None]:
    """Postgres away (shared.db.unavailable) while handling becomes Unavailable, so the
    message is held and retried; any other error (a bug, bad data) takes the usual way
    of counted retries and the DLQ."""
    try:
        yield
    except Exception as exc:
        if db.unavailable(exc):
            raise Unavailable(f"postgres: {exc}") from exc
        raise


@dataclass(frozen=True)
class Backoff:
    base_s: float = 1.0
    max_s: float = 300.0
    jitter: float = 0.1

    def delay(self, attempt: int) -> float:
        """Delay before attempt `attempt + 1`; attempt counts from 1."""
        raw = min(self.max_s, self.base_s * 2 ** max(0, attempt - 1))
        return raw * (1 + random.uniform(-self.jitter, self.jitter))


@dataclass
class Envelope(Generic[T]):
    event: T
    msg: Msg

    @property
    def subject(self) -> str:
        return self.msg.subject

    @property
    def attempts(self) -> int:
        return self.msg.metadata.num_delivered

    @property
    def stream_seq(self) -> int:
        return self.msg.metadata.sequence.stream


Handler = Callable[[Envelope[Any]], Awaitable[None]]
BatchHandler = Callable[[list[Envelope[Any]]], Awaitable[None]]


@dataclass
class Consumer:
    """One durable pull consumer and what handles its messages.

    Give `handler` (one message at a time, up to `concurrency` at once) or
    `batch_handler` (a whole fetched batch, e.g. one database transaction).
    """

    spec: ConsumerSpec
    decoder: msgspec.json.Decoder
    handler: Handler | None = None
    batch_handler: BatchHandler | None = None
    batch: int = 100
    concurrency: int = 100
    fetch_timeout: float = 1.0
    # Batch consumers only: once a message is in, wait this long for a fuller batch.
    # Fewer, larger writes downstream (ClickHouse wants about one insert a second)
    # for at most this much more latency.
    linger: float = 0.0
    max_deliver: int = 8
    backoff: Backoff = field(default_factory=Backoff)
    drain_timeout: float = 30.0

    @property
    def name(self) -> str:
        return self.spec.durable


async def run(js: JetStreamContext, consumer: Consumer, stop: asyncio.Event) -> None:
    """Consume until `stop` is set, then finish in-flight work (graceful drain)."""
    worker = _Worker(js, consumer)
    await worker.loop(stop)


class _Worker:
    def __init__(self, js: JetStreamContext, consumer: Consumer) -> None:
        self.js = js
        self.c = consumer
        self.slots = asyncio.Semaphore(consumer.concurrency)
        self.tasks: set[asyncio.Task[None]] = set()
        self.log = log.bind(consumer=consumer.name)
        self.stop: asyncio.Event | None = None
        # Messages being handled; one ticker keeps them all alive (see _beat).
        self.working: dict[int, Msg] = {}
        # Label lookups cost more than the counting: resolve them once.
        name = consumer.name
        self.m_ack = metrics.MESSAGES.labels(name, "ack")
        self.m_nak = metrics.MESSAGES.labels(name, "nak")
        self.m_dead = metrics.MESSAGES.labels(name, "dead_letter")
        self.m_in_flight = metrics.IN_FLIGHT.labels(name)
        self.m_seconds = metrics.HANDLER_SECONDS.labels(name)

    async def loop(self, stop: asyncio.Event) -> None:
        self.stop = stop
        beat = asyncio.create_task(self._beat())
        try:
            await self._consume(stop)
        finally:
            beat.cancel()

    async def _beat(self) -> None:
        """Tell the server we still work on long-running messages, so they are not
        redelivered to another replica while this one is busy with them."""
        while True:
            await asyncio.sleep(self.c.spec.ack_wait_s / 3)
            for msg in list(self.working.values()):
                with contextlib.suppress(nats.errors.Error):
                    await msg.in_progress()

    async def _consume(self, stop: asyncio.Event) -> None:
        sub = None
        failures = 0
        while not stop.is_set():
            try:
                if sub is None:
                    sub = await self.js.pull_subscribe_bind(self.c.spec.durable, self.c.spec.stream)
                msgs = await self._fetch(sub)
                failures = 0
            except (TimeoutError, nats.errors.TimeoutError):
                continue
            except (nats.errors.Error, OSError) as exc:
                # NATS away or consumer missing: back off, then try again.
                failures += 1
                self.log.warning("fetch_failed", error=repr(exc), failures=failures)
                await sleep_or_stop(stop, min(5.0, 0.2 * 2**failures))
                continue
            envs = await self._admit(msgs)
            if self.c.batch_handler is not None:
                await self._process(envs, self.c.batch_handler)
            else:
                for env in envs:
                    await self.slots.acquire()
                    task = asyncio.create_task(self._process([env], self._one))
                    self.tasks.add(task)
                    task.add_done_callback(self._done)
        await self._drain()
        if sub is not None:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()

    async def _fetch(self, sub: Any) -> list[Msg]:
        if self.c.batch_handler is not None:
            # fetch() returns at once with whatever is waiting, however little.
            msgs = await sub.fetch(self.c.batch, timeout=self.c.fetch_timeout)
            return await self._top_up(sub, msgs)
        # Fetch only what we can start now, so nothing waits out its ack_wait unseen.
        await self.slots.acquire()
        self.slots.release()
        want = max(1, min(self.c.batch, self.c.concurrency - len(self.tasks)))
        # nats-py's fetch(n) long-polls until n messages or the timeout: a lone message
        # would wait out the timeout. So take what is waiting (one request under load),
        # and only when nothing is, wait for the next one.
        try:
            return await sub.fetch(want, timeout=0.005)
        except (nats.errors.TimeoutError, TimeoutError):
            return await sub.fetch(1, timeout=self.c.fetch_timeout)

    async def _top_up(self, sub: Any, msgs: list[Msg]) -> list[Msg]:
        """The batch once its oldest message has waited `linger` seconds: one sleep, then
        one fetch of what arrived meanwhile (polling in between costs a request a time)."""
        # fetch() may also come back empty (only status messages arrived).
        if self.c.linger <= 0 or not msgs or len(msgs) >= self.c.batch:
            return msgs
        # Counted from when the stream got the oldest, so a batch that already waited
        # (the previous write was slow) is written at once; and well inside ack_wait,
        # or the first messages would come again while we wait.
        waited = time.time() - msgs[0].metadata.timestamp.timestamp()
        await asyncio.sleep(min(self.c.linger - waited, self.c.spec.ack_wait_s / 3))
        try:
            return msgs + await sub.fetch(self.c.batch - len(msgs), timeout=0.01)
        except (nats.errors.TimeoutError, TimeoutError):
            return msgs

    def _done(self, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        self.slots.release()

    async def _drain(self) -> None:
        if self.tasks:
            self.log.info("draining", in_flight=len(self.tasks))
            _, pending = await asyncio.wait(self.tasks, timeout=self.c.drain_timeout)
            for task in pending:
                task.cancel()

    def _decode(self, msg: Msg) -> Envelope[Any] | str:
        try:
            return Envelope(self.c.decoder.decode(msg.data), msg)
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            return f"undecodable message: {exc}"

    async def _admit(self, msgs: Sequence[Msg]) -> list[Envelope[Any]]:
        """The messages a handler may see; the others go to the DLQ now."""
        envs: list[Envelope[Any]] = []
        for msg in msgs:
            attempts = msg.metadata.num_delivered
            if attempts > self.c.max_deliver:
                # Delivered again and again without an ack: the handler keeps crashing
                # the process.
                await self._dead_letter(msg, f"no ack after {attempts - 1} deliveries", attempts)
                continue
            env = self._decode(msg)
            if isinstance(env, str):
                await self._dead_letter(msg, env, attempts)
            else:
                envs.append(env)
        return envs

    async def _one(self, envs: list[Envelope[Any]]) -> None:
        await self.c.handler(envs[0])  # type: ignore[misc]

    async def _process(self, envs: list[Envelope[Any]], handle: BatchHandler) -> None:
        """The one path of every message: handled (a single handler sees a batch of
        one), then acked; or given back, retried, or dead-lettered."""
        if not envs:
            return
        stopping, failure = False, None
        started = time.perf_counter()
        self.m_in_flight.inc(len(envs))
        self.working.update((id(e.msg), e.msg) for e in envs)
        try:
            await self._until_available(handle, envs)
        except asyncio.CancelledError:
            raise
        except _Stopping:
            stopping = True
        except Exception as exc:
            failure = exc
        finally:
            for e in envs:
                self.working.pop(id(e.msg), None)
            self.m_in_flight.dec(len(envs))
            self.m_seconds.observe(time.perf_counter() - started)
        if stopping:
            await asyncio.gather(*(_nak(e.msg, 0) for e in envs))
        elif failure is not None:
            await self._failed_batch(envs, handle, failure)
        else:
            await _ack([e.msg for e in envs])
            self.m_ack.inc(len(envs))

    async def _failed_batch(
        self, envs: list[Envelope[Any]], handle: BatchHandler, exc: Exception
    ) -> None:
        if len(envs) == 1:
            await self._failed(envs[0].msg, exc, envs[0].attempts)
            return
        # Isolate the failing message: one poison item must not hold back its batch.
        self.log.warning("batch_failed_splitting", error=repr(exc), size=len(envs))
        for env in envs:
            await self._process([env], handle)

    async def _until_available(self, handler: Callable[[Any], Awaitable[None]], arg: Any) -> None:
        outage = 0
        while True:
            try:
                await handler(arg)
                return
            except (Unavailable, PublishFailed) as exc:
                # NATS itself away past the publish deadline counts as an outage too: the
                # input stays unacked and is held, never dead-lettered for it.
                outage += 1
                delay = self.c.backoff.delay(outage)
                self.log.warning(
                    "dependency_unavailable", error=str(exc), retry_in_s=round(delay, 2)
                )
                if self.stop is not None and self.stop.is_set():
                    raise _Stopping from exc
                await asyncio.sleep(delay)

    async def _failed(self, msg: Msg, exc: Exception, attempts: int) -> None:
        reason = str(exc) or type(exc).__name__
        if isinstance(exc, Reject) or attempts >= self.c.max_deliver:
            await self._dead_letter(msg, reason, attempts)
            return
        delay = exc.delay if isinstance(exc, Retry) and exc.delay is not None else None
        if delay is None:
            delay = self.c.backoff.delay(attempts)
        self.log.warning(
            "handler_failed_will_retry",
            error=reason,
            error_type=type(exc).__name__,
            attempts=attempts,
            delay_s=round(delay, 3),
            subject=msg.subject,
        )
        await _nak(msg, delay)
        self.m_nak.inc()

    async def _dead_letter(self, msg: Msg, error: str, attempts: int) -> None:
        md = msg.metadata
        # Nats-* headers (message id, expected stream/sequence) are the original
        # publish's instructions to the server: copied, they could make this fail.
        headers = {k: v for k, v in (msg.headers or {}).items() if not k.startswith("Nats-")}
        headers.update(
            {
                H_STREAM: md.stream,
                H_SUBJECT: msg.subject,
                H_SEQ: str(md.sequence.stream),
                H_CONSUMER: self.c.name,
                H_ERROR: error[:2000].replace("\r", " ").replace("\n", " "),
                H_ATTEMPTS: str(attempts),
                H_FAILED_AT: msgspec.json.encode(time.time()).decode(),
                # One DLQ copy per original message, however often we get here.
                "Nats-Msg-Id": f"dlq:{md.stream}:{md.sequence.stream}",
            }
        )
        try:
            await self.js.publish(f"{DLQ}.{msg.subject}", msg.data, headers=headers)
        except nats.errors.Error as exc:
            self.log.error("dead_letter_failed", error=repr(exc))
            await _nak(msg, self.c.backoff.delay(attempts))
            return
        await msg.ack()
        self.m_dead.inc()
        self.log.error(
            "dead_lettered",
            subject=msg.subject,
            error=error,
            attempts=attempts,
            seq=md.sequence.stream,
        )


class _Stopping(Exception):
    """Shutting down during an outage: give the message back for another replica."""


async def _ack(msgs: list[Msg]) -> None:
    # Most handlers see one message: gather would wrap its ack in a task of its own.
    if len(msgs) == 1:
        await msgs[0].ack()
    else:
        await asyncio.gather(*(m.ack() for m in msgs))


async def _nak(msg: Msg, delay: float) -> None:
    with contextlib.suppress(nats.errors.Error):
        await msg.nak(delay=delay)
