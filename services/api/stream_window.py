"""Reading a window of a stream, for replays and rebuilds, without leaving any
durable state behind.

Limits streams are read through an ephemeral consumer (one request per batch).
Work-queue streams allow no second consumer beside their worker, so they are
walked with message gets; they hold only unfinished work, so walks are short."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

import nats.errors
import nats.js.errors
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, RetentionPolicy

from shared import topology
from shared.config import Settings
from shared.events import utcnow

# An abandoned reader's consumer is removed by the server after this long.
READER_IDLE_S = 30.0
POLL_S = 1.0


@dataclass(frozen=True)
class Window:
    stream: str
    subject: str | None = None
    since: datetime | None = None
    start_seq: int | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class Record:
    seq: int
    subject: str
    time: datetime
    data: bytes


def stream_subjects(settings: Settings) -> dict[str, list[str]]:
    return {cfg.name: list(cfg.subjects or []) for cfg in topology.streams(settings)}


def overlaps(a: str, b: str) -> bool:
    """Whether two subject patterns can match a common subject."""
    left, right = a.split("."), b.split(".")
    for x, y in zip(left, right, strict=False):
        if ">" in (x, y):
            return True
        if x != y and "*" not in (x, y):
            return False
    return len(left) == len(right)


def subject_error(subject: str, stream_patterns: list[str]) -> str | None:
    tokens = subject.split(".")
    if any(t == "" or any(c.isspace() for c in t) for t in tokens) or ">" in tokens[:-1]:
        return "is not a valid subject pattern"
    if not any(overlaps(subject, p) for p in stream_patterns):
        return f"matches nothing in this stream ({', '.join(stream_patterns)})"
    return None


async def window(js: JetStreamContext, w: Window, follow: bool = False) -> AsyncIterator[Record]:
    """The window's messages in stream order. Without `follow` it ends at the end of
    the stream as it was when reached; with it, it waits for new ones until `until`."""
    if not follow and w.since is not None and w.since > utcnow():
        # Nothing is stored from the future (and far-off times overflow the server's clock).
        return
    info = await js.stream_info(w.stream)
    walk = _walk if info.config.retention == RetentionPolicy.WORK_QUEUE else _consume
    async with contextlib.aclosing(walk(js, w, follow)) as records:
        async for record in records:
            if w.until is not None and record.time > w.until:
                return
            yield record


def _waiting(follow: bool, until: datetime | None) -> bool:
    return follow and (until is None or utcnow() <= until)


# -- limits streams: an ephemeral consumer -----------------------------------------------


def _config(w: Window) -> ConsumerConfig:
    cfg = ConsumerConfig(
        name=f"replay-{uuid.uuid4().hex}",
        filter_subject=w.subject,
        ack_policy=AckPolicy.NONE,
        inactive_threshold=READER_IDLE_S,
        mem_storage=True,
        num_replicas=1,
    )
    if w.start_seq is not None:
        cfg.deliver_policy, cfg.opt_start_seq = DeliverPolicy.BY_START_SEQUENCE, w.start_seq
    elif w.since is not None:
        cfg.deliver_policy, cfg.opt_start_time = DeliverPolicy.BY_START_TIME, w.since
    return cfg


async def _consume(js: JetStreamContext, w: Window, follow: bool) -> AsyncIterator[Record]:
    cfg = _config(w)
    info = await js.add_consumer(w.stream, cfg)
    sub = None
    try:
        if not follow and info.num_pending == 0:
            return
        sub = await js.pull_subscribe_bind(cfg.name, stream=w.stream)
        while True:
            try:
                msgs = await sub.fetch(256, timeout=POLL_S)
            except (TimeoutError, nats.errors.TimeoutError):
                if _waiting(follow, w.until):
                    continue
                return
            for msg in msgs:
                md = msg.metadata
                yield Record(md.sequence.stream, msg.subject, md.timestamp, msg.data)
                if not follow and md.num_pending == 0:
                    return
    finally:
        # The server would drop the idle consumer anyway; deleting it keeps ops/queues tidy.
        with contextlib.suppress(Exception):
            if sub is not None:
                await sub.unsubscribe()
            await asyncio.shield(js.delete_consumer(w.stream, cfg.name))


# -- work-queue streams: message gets ----------------------------------------------------


async def _walk(js: JetStreamContext, w: Window, follow: bool) -> AsyncIterator[Record]:
    seq = w.start_seq or 1
    while True:
        try:
            raw = await js.get_msg(w.stream, seq=seq, subject=w.subject or ">", next=True)
        except nats.js.errors.NotFoundError:
            if not _waiting(follow, w.until):
                return
            await asyncio.sleep(POLL_S)
            continue
        seq = raw.seq + 1
        if w.since is None or raw.time >= w.since:
            yield Record(raw.seq, raw.subject, raw.time, raw.data or b"")
