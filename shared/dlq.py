"""Dead letters: list and filter them, send them back to where they failed, discard or
purge them, and sum up why they failed. The api's /ops/dlq routes and `upmon dlq` both
use these functions.

The DLQ stream is read by sequence with message gets, never with a durable consumer,
so looking at dead letters changes nothing."""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

import msgspec
import nats.js.errors
from nats.js import JetStreamContext
from nats.js.api import RawStreamMsg

from shared import runner, topology
from shared.bus import MSG_ID
from shared.events import utcnow
from shared.payloads import Payload, decode_payload

STREAM = "DLQ"
_ALL = f"{topology.DLQ}.>"
# Ids named one by one in a bulk request; larger sets are picked by a filter.
MAX_IDS = 1000
# An outcome lists at most this many ids; its counts are always whole.
SHOWN_IDS = 1000
TOP_REASONS = 10


class DeadLetter(Payload, kw_only=True):
    id: str
    subject: str
    stream: str | None = None
    consumer: str | None = None
    error: str | None = None
    attempts: int | None = None
    failed_at: datetime | None = None
    original_seq: int | None = None


class DeadLetterList(msgspec.Struct):
    items: list[DeadLetter]
    next_cursor: str | None = None


class Retried(msgspec.Struct, kw_only=True):
    id: str
    subject: str
    stream: str
    # Where the message now is in its original stream.
    seq: int
    duplicate: bool = False


_Subject = Annotated[str, msgspec.Meta(min_length=1, max_length=255, pattern=r"^[^\s]+$")]
_Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
_Text = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class Filter(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Which dead letters a bulk action touches. An empty filter matches nothing unless
    `all` is set, so a forgotten field never retries or discards everything."""

    ids: Annotated[list[Annotated[int, msgspec.Meta(ge=1)]], msgspec.Meta(max_length=MAX_IDS)] = []
    all: bool = False
    # The original subject; NATS wildcards `*` and `>` work.
    subject: _Subject | None = None
    consumer: _Name | None = None
    # Case-insensitive substring of the error.
    error: _Text | None = None
    since: datetime | None = None
    until: datetime | None = None
    dry_run: bool = False

    def narrows(self) -> bool:
        return bool(self.ids or self.subject or self.consumer or self.error or self.since) or (
            self.until is not None
        )


class Outcome(msgspec.Struct, kw_only=True):
    action: Literal["retry", "discard", "purge"]
    dry_run: bool
    # How many matched, and how many were retried/discarded (0 on a dry run).
    matched: int
    affected: int
    ids: list[str]
    # Dead letters that matched but could not be republished, with the reason.
    failed: dict[str, str] = {}


_SPAN = re.compile(r"^(\d{1,6})([smhd])$")
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86_400}
MAX_SPAN = timedelta(days=3650)


class PurgeRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    # How long a dead letter has been held, e.g. 7d, 12h, 30m.
    older_than: Annotated[str, msgspec.Meta(pattern=_SPAN.pattern, examples=["7d"])]
    dry_run: bool = False


def span(text: str) -> timedelta:
    """A span such as 7d, 12h, 30m or 45s; ValueError names what is wrong."""
    found = _SPAN.match(text.strip())
    if not found:
        raise ValueError(f"{text!r} is not a span: use a number and s, m, h or d (7d)")
    value = timedelta(seconds=int(found[1]) * _UNIT_S[found[2]])
    if value > MAX_SPAN:
        raise ValueError(f"{text!r} is longer than {MAX_SPAN.days} days")
    return value


class Reason(msgspec.Struct, kw_only=True):
    consumer: str
    error_class: str
    count: int
    example: str
    last_at: datetime | None


class ReportWindow(msgspec.Struct, kw_only=True):
    window: str
    total: int
    reasons: list[Reason]


class Report(msgspec.Struct, kw_only=True):
    # Every dead letter held, however old.
    total: int
    windows: list[ReportWindow]


# -- pure pieces ---------------------------------------------------------------------------


def subject_matches(pattern: str, subject: str) -> bool:
    """NATS matching: `*` is one token, a final `>` one or more."""
    want, have = pattern.split("."), subject.split(".")
    for i, token in enumerate(want):
        if token == ">":
            return len(have) > i
        if i >= len(have) or (token != "*" and token != have[i]):
            return False
    return len(want) == len(have)


def matches(f: Filter, d: DeadLetter) -> bool:
    if f.ids and int(d.id) not in f.ids:
        return False
    if f.subject and not subject_matches(f.subject, d.subject):
        return False
    if f.consumer and d.consumer != f.consumer:
        return False
    if f.error and f.error.lower() not in (d.error or "").lower():
        return False
    at = d.failed_at
    if f.since and (at is None or at < f.since):
        return False
    return not (f.until and (at is None or at > f.until))


_EXC_PREFIX = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Timeout|Refused))\b")
_VARYING = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"  # uuids
    r"|\b[0-9a-f]{16,}\b"  # long hex ids
    r"|\d+(?:\.\d+)?",  # numbers: ports, sizes, sequence numbers, timings
    re.IGNORECASE,
)


def error_class(error: str | None) -> str:
    """What dead letters with "the same" error share: an exception name when the error
    starts with one, else the text with ids and numbers blanked, so that "timeout after
    3.2 s on 10.0.0.1:443" and "timeout after 5 s on 10.0.0.2:443" group together."""
    text = (error or "").strip()
    if not text:
        return "(no error recorded)"
    if named := _EXC_PREFIX.match(text):
        return named[1]
    return _VARYING.sub("#", text)[:120]


def summarise(letters: list[DeadLetter], now: datetime) -> Report:
    windows = []
    for label, span in (("24h", timedelta(hours=24)), ("7d", timedelta(days=7))):
        recent = [d for d in letters if d.failed_at is not None and d.failed_at >= now - span]
        windows.append(ReportWindow(window=label, total=len(recent), reasons=_reasons(recent)))
    return Report(total=len(letters), windows=windows)


def _reasons(letters: list[DeadLetter]) -> list[Reason]:
    counts: Counter[tuple[str, str]] = Counter()
    example: dict[tuple[str, str], DeadLetter] = {}
    for d in letters:
        group = (d.consumer or "-", error_class(d.error))
        counts[group] += 1
        example[group] = d  # the newest, since letters come oldest first
    return [
        Reason(
            consumer=group[0],
            error_class=group[1],
            count=n,
            example=(example[group].error or "")[:300],
            last_at=example[group].failed_at,
        )
        for group, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_REASONS]
    ]


# -- reading -------------------------------------------------------------------------------


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _failed_at(headers: dict, raw: RawStreamMsg) -> datetime | None:
    with contextlib.suppress(KeyError, ValueError, TypeError, OverflowError):
        return datetime.fromtimestamp(float(headers[runner.H_FAILED_AT]), UTC)
    return raw.time


def original_subject(raw: RawStreamMsg) -> str:
    headers = raw.headers or {}
    return headers.get(runner.H_SUBJECT) or (raw.subject or "").removeprefix(f"{topology.DLQ}.")


def dead_letter(raw: RawStreamMsg) -> DeadLetter:
    h = raw.headers or {}
    return DeadLetter(
        id=str(raw.seq),
        subject=original_subject(raw),
        stream=h.get(runner.H_STREAM),
        consumer=h.get(runner.H_CONSUMER),
        error=h.get(runner.H_ERROR),
        attempts=_int(h.get(runner.H_ATTEMPTS)),
        failed_at=_failed_at(h, raw),
        original_seq=_int(h.get(runner.H_SEQ)),
        **decode_payload(raw.data or b""),
    )


async def _get(js: JetStreamContext, seq: int, *, next_one: bool = False) -> RawStreamMsg | None:
    try:
        if next_one:
            return await js.get_msg(STREAM, seq=seq, subject=_ALL, next=True)
        return await js.get_msg(STREAM, seq=seq)
    except nats.js.errors.NotFoundError:
        return None


async def scan(
    js: JetStreamContext, f: Filter | None = None, start: int = 1
) -> AsyncIterator[tuple[int, DeadLetter | None]]:
    """Every dead letter from `start` on, oldest first, as (seq, letter or None when it
    does not match `f`): callers page by the sequence without decoding twice."""
    seq = max(1, start)
    if f is not None and f.ids:
        seq = max(seq, min(f.ids))
    while (raw := await _get(js, seq, next_one=True)) is not None:
        seq = raw.seq + 1
        d = dead_letter(raw)
        yield raw.seq, d if f is None or matches(f, d) else None
        if f is not None and f.ids and raw.seq >= max(f.ids):
            return


async def page(
    js: JetStreamContext, start: int, limit: int, f: Filter | None = None
) -> tuple[list[DeadLetter], int | None]:
    """Up to `limit` matching dead letters from sequence `start`, and where the next page
    starts."""
    found: list[DeadLetter] = []
    async with contextlib.aclosing(scan(js, f, start)) as letters:
        async for seq, d in letters:
            if d is None:
                continue
            if len(found) == limit:
                return found, seq
            found.append(d)
    return found, None


async def selection(js: JetStreamContext, f: Filter) -> list[DeadLetter]:
    if not (f.all or f.narrows()):
        return []
    async with contextlib.aclosing(scan(js, f)) as letters:
        return [d async for _, d in letters if d is not None]


# -- acting --------------------------------------------------------------------------------


class Unroutable(Exception):
    """The original subject is no longer taken by the stream the message came from."""


async def _check_route(js: JetStreamContext, subject: str, expected: str | None) -> None:
    try:
        found = await js.find_stream_name_by_subject(subject)
    except nats.js.errors.NotFoundError:
        raise Unroutable(f"no stream takes {subject} any more") from None
    if expected and found != expected:
        raise Unroutable(f"{subject} now goes to stream {found}, not {expected}")


def _republish_headers(raw: RawStreamMsg, seq: int) -> dict[str, str]:
    # Upmon-* describe the failure; Nats-* were directives for the first publish (an
    # expected stream would even make the next dead-lettering fail).
    headers = {
        k: v for k, v in (raw.headers or {}).items() if not k.startswith(("Upmon-", "Nats-"))
    }
    # A new id, since the original one may still be in the duplicate window; stable per
    # dead letter, so retrying twice in a row publishes once.
    stamp = raw.time.timestamp() if raw.time else 0
    headers[MSG_ID] = f"dlq-retry:{seq}:{stamp}"
    return headers


async def retry(js: JetStreamContext, seq: int) -> Retried | None:
    """Publish the original payload to its original subject again, then drop the copy.
    A crash between the two leaves the copy, and a second retry publishes with the same
    message id, which the duplicate window drops."""
    raw = await _get(js, seq)
    if raw is None:
        return None
    subject = original_subject(raw)
    await _check_route(js, subject, (raw.headers or {}).get(runner.H_STREAM))
    ack = await js.publish(subject, raw.data or b"", headers=_republish_headers(raw, seq))
    await discard(js, seq)
    return Retried(
        id=str(seq), subject=subject, stream=ack.stream, seq=ack.seq, duplicate=bool(ack.duplicate)
    )


async def discard(js: JetStreamContext, seq: int) -> bool:
    try:
        return await js.delete_msg(STREAM, seq)
    except nats.js.errors.APIError:
        if await _get(js, seq) is not None:
            raise
        return False


async def retry_matching(js: JetStreamContext, f: Filter) -> Outcome:
    chosen = await selection(js, f)
    done, failed = [], {}
    for d in [] if f.dry_run else chosen:
        try:
            if await retry(js, int(d.id)) is not None:
                done.append(d.id)
        except Unroutable as exc:
            failed[d.id] = str(exc)
    return _outcome("retry", f, chosen, done, failed)


async def discard_matching(js: JetStreamContext, f: Filter) -> Outcome:
    chosen = await selection(js, f)
    todo = [] if f.dry_run else chosen
    done = [d.id for d in todo if await discard(js, int(d.id))]
    return _outcome("discard", f, chosen, done)


def _outcome(
    action: Literal["retry", "discard"],
    f: Filter,
    chosen: list[DeadLetter],
    done: list[str],
    failed: dict[str, str] | None = None,
) -> Outcome:
    return Outcome(
        action=action,
        dry_run=f.dry_run,
        matched=len(chosen),
        affected=len(done),
        ids=([d.id for d in chosen] if f.dry_run else done)[:SHOWN_IDS],
        failed=failed or {},
    )


async def purge(js: JetStreamContext, older_than: timedelta, dry_run: bool = False) -> Outcome:
    """Drop every dead letter stored longer ago than `older_than`, in one request: the
    stream is in time order, so they are exactly those below the first younger one."""
    cutoff = utcnow() - older_than
    old: list[str] = []
    first_young = None
    seq = 1
    while (raw := await _get(js, seq, next_one=True)) is not None:
        if raw.time is not None and raw.time >= cutoff:
            first_young = raw.seq
            break
        old.append(str(raw.seq))
        seq = raw.seq + 1
    if old and not dry_run:
        if first_young is None:
            first_young = int(old[-1]) + 1
        await js.purge_stream(STREAM, seq=first_young)
    return Outcome(
        action="purge",
        dry_run=dry_run,
        matched=len(old),
        affected=0 if dry_run else len(old),
        ids=old[:SHOWN_IDS],
    )


async def report(js: JetStreamContext) -> Report:
    since = Filter(since=utcnow() - timedelta(days=7))
    summary = summarise(await selection(js, since), utcnow())
    summary.total = (await js.stream_info(STREAM)).state.messages
    return summary
