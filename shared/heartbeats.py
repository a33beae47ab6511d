"""Heartbeat pings, kept in a JetStream KV bucket: the api writes the state of each
heartbeat monitor (its last finished ping and the runs started since), the executor
reads it when the monitor's check is due. The bucket is file-backed, so no restart
of any service forgets a ping.

The decisions are pure and live here, in one place: when the next ping is expected
(`deadline`), and what a signal does to the state and which run it finishes (`apply`).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import msgspec
import nats.js.errors
from nats.js import JetStreamContext

from shared import crontab
from shared.events import JobRun, RunOutcome
from shared.kinds.heartbeat import HeartbeatSpec

BUCKET = "upmon_heartbeats"
# Overlapping runs tracked per monitor; a job that starts more without finishing any
# loses its oldest starts, never the bucket's memory.
MAX_OPEN_RUNS = 32
MAX_OUTPUT = 10 * 1024


class OpenRun(msgspec.Struct, kw_only=True):
    started_at: datetime
    rid: str | None = None


class Ping(msgspec.Struct, kw_only=True):
    # The last finished run or plain ping; None while only starts have come.
    at: datetime | None = None
    status: Literal["up", "down"] = "up"
    msg: str | None = None
    # Runs started and not finished yet, oldest first.
    runs: list[OpenRun] = []


@dataclass(frozen=True)
class Signal:
    """What one push said: `start`, `log`, or a finish: a success, a failure (`ok`
    False), or an exit code (0 a success, 1-255 a failure)."""

    kind: Literal["start", "finish", "log"]
    at: datetime
    exit_code: int | None = None
    ok: bool = True
    rid: str | None = None
    msg: str | None = None
    output: str = ""


@dataclass(frozen=True)
class Run:
    """A finished run (or a logged line) as it is recorded."""

    outcome: RunOutcome
    ended_at: datetime
    started_at: datetime | None = None
    exit_code: int | None = None
    rid: str | None = None
    reason: str | None = None
    output: str = ""
    late: bool = False

    @property
    def duration_s(self) -> float | None:
        if self.started_at is None:
            return None
        return round((self.ended_at - self.started_at).total_seconds(), 3)


@dataclass(frozen=True)
class Deadline:
    at: datetime | None
    # "running": a started run must end by `at`; "schedule": the next ping is due by `at`.
    why: Literal["running", "schedule"]
    since: datetime


def run_limit_s(spec: HeartbeatSpec) -> int:
    return spec.max_runtime_s if spec.max_runtime_s is not None else spec.grace_s


def expected_after(spec: HeartbeatSpec, since: datetime) -> datetime | None:
    """The next expected ping: one period later, or the next cron fire after `since`,
    on the zone's wall clock. None: a cron that never fires again."""
    if spec.cron is None:
        return since + timedelta(seconds=spec.period_s)
    return crontab.next_fire(spec.cron, spec.timezone, since)


def deadline(spec: HeartbeatSpec, ping: Ping | None, created_at: datetime) -> Deadline:
    """When the monitor is late. A run started after the last finish is judged by its
    start (grace, or max_runtime_s, from it); otherwise the schedule after the last ping
    (or the monitor's creation) plus grace."""
    last = ping.at if ping is not None and ping.at is not None else None
    running = [r for r in (ping.runs if ping else []) if last is None or r.started_at > last]
    if running:
        start = running[0].started_at
        return Deadline(start + timedelta(seconds=run_limit_s(spec)), "running", start)
    since = last or created_at
    expected = expected_after(spec, since)
    grace = timedelta(seconds=spec.grace_s)
    return Deadline(expected + grace if expected else None, "schedule", since)


def apply(
    spec: HeartbeatSpec, ping: Ping | None, signal: Signal, created_at: datetime
) -> tuple[Ping | None, Run | None]:
    """The new state and the run a signal finishes (a log line is a run of its own)."""
    state = ping or Ping()
    if signal.kind == "log":
        return None, Run("log", signal.at, rid=signal.rid, reason=signal.msg, output=signal.output)
    if signal.kind == "start":
        kept = [r for r in _in_time(spec, state.runs, signal.at) if r.rid != signal.rid]
        runs = [*kept, OpenRun(started_at=signal.at, rid=signal.rid)][-MAX_OPEN_RUNS:]
        return msgspec.structs.replace(state, runs=runs), None
    return _finish(spec, state, signal, created_at)


def _in_time(spec: HeartbeatSpec, runs: list[OpenRun], now: datetime) -> list[OpenRun]:
    """The open runs still within their limit. The others are given up on at the next
    signal, so one lost end cannot hold the monitor down for ever; overlapping runs
    still in time are kept."""
    limit = timedelta(seconds=run_limit_s(spec))
    return [r for r in runs if now - r.started_at <= limit]


def _finish(
    spec: HeartbeatSpec, state: Ping, signal: Signal, created_at: datetime
) -> tuple[Ping, Run]:
    opened = next((r for r in reversed(state.runs) if r.rid == signal.rid), None)
    due = deadline(spec, msgspec.structs.replace(state, runs=[]), created_at).at
    first = opened.started_at if opened else signal.at
    run = Run(
        outcome="success",
        ended_at=signal.at,
        started_at=opened.started_at if opened else None,
        exit_code=signal.exit_code,
        rid=signal.rid,
        output=signal.output,
        late=due is not None and first > due,
    )
    run = _judged(spec, run, signal)
    runs = [r for r in _in_time(spec, state.runs, signal.at) if r is not opened]
    status = "up" if run.outcome == "success" else "down"
    return Ping(at=signal.at, status=status, msg=run.reason, runs=runs), run


def _judged(spec: HeartbeatSpec, run: Run, signal: Signal) -> Run:
    code, took, msg = run.exit_code, run.duration_s, signal.msg
    reason = None
    if code:
        reason = msg or f"the job exited with code {code}"
    elif not signal.ok:
        reason = msg or "the job reported down"
    elif took is not None and spec.max_runtime_s is not None and took > spec.max_runtime_s:
        reason = f"the run took {took:g} s, more than max_runtime_s {spec.max_runtime_s}"
    elif took is not None and spec.min_runtime_s is not None and took < spec.min_runtime_s:
        reason = f"the run took {took:g} s, less than min_runtime_s {spec.min_runtime_s}"
    if reason is None:
        return _with(run, reason=msg)
    return _with(run, outcome="failure", reason=reason)


def _with(run: Run, **changes) -> Run:
    return Run(**{**run.__dict__, **changes})


_OUTPUT_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069]"
)


# The first checks after a missed deadline record it; later ones, while the job stays
# silent, need not repeat it (their event ids would be the same, deduplicated anyway).
MISSED_RECORD_S = 120


def missed_run(
    spec: HeartbeatSpec, ping: Ping | None, created_at: datetime, now: datetime, every_s: int
) -> Run | None:
    """The expected run that did not come, once its deadline passed: None while on time,
    while a started run is still judged by its start, and long after the deadline."""
    due = deadline(spec, ping, created_at)
    if due.why != "schedule" or due.at is None or now <= due.at:
        return None
    if (now - due.at).total_seconds() > max(2 * every_s, MISSED_RECORD_S):
        return None
    expected = due.at - timedelta(seconds=spec.grace_s)
    reason = f"no run by {due.at.isoformat()} (expected at {expected.isoformat()})"
    return Run("missed", due.at, reason=reason, late=True)


def run_event(monitor_id: str, run: Run) -> JobRun:
    """The event of a run. A missed run's id is derived from the monitor and deadline,
    so every check (and every region) that notices it publishes the same event."""
    took = run.duration_s
    extra = {"id": str(uuid.uuid5(_MISSED, f"{monitor_id}/{run.ended_at.isoformat()}"))}
    return JobRun(
        **(extra if run.outcome == "missed" else {}),
        monitor_id=monitor_id,
        outcome=run.outcome,
        ended_at=run.ended_at,
        started_at=run.started_at,
        duration_s=max(0.0, took) if took is not None else None,
        exit_code=run.exit_code,
        rid=run.rid,
        reason=run.reason,
        output=run.output,
        late=run.late,
    )


_MISSED = uuid.UUID("5b0e8a4e-8f3a-4c55-9a57-1f5d3c1e0a01")


def output_excerpt(body: bytes) -> str:
    """A job's output as kept with its run: its last 10 KB (where errors are), with line
    breaks and tabs, every other control character (escapes, NUL, CR, bidi) stripped."""
    text = body[-MAX_OUTPUT:].decode("utf-8", errors="replace")
    return _OUTPUT_CONTROL.sub("", text).strip()


_decode = msgspec.json.Decoder(Ping).decode
# A few tries when two pushes for one monitor race; each retry re-reads the state.
_CAS_TRIES = 8


async def update(js: JetStreamContext, monitor_id: str, change) -> tuple[Ping | None, object]:
    """Read the state, apply `change(previous) -> (new or None, extra)`, and store the
    new state only if nobody wrote in between (compare-and-set); returns (previous, extra)."""
    kv = await js.key_value(BUCKET)
    for _ in range(_CAS_TRIES):
        previous, revision = await _read(kv, monitor_id)
        new, extra = change(previous)
        if new is None:
            return previous, extra
        try:
            if revision is None:
                await kv.create(monitor_id, msgspec.json.encode(new))
            else:
                await kv.update(monitor_id, msgspec.json.encode(new), last=revision)
        except nats.js.errors.KeyWrongLastSequenceError:
            continue
        return previous, extra
    raise RuntimeError(f"heartbeat state of {monitor_id} kept changing; try again")


async def last(js: JetStreamContext, monitor_id: str) -> Ping | None:
    kv = await js.key_value(BUCKET)
    return (await _read(kv, monitor_id))[0]


async def _read(kv, monitor_id: str) -> tuple[Ping | None, int | None]:
    try:
        entry = await kv.get(monitor_id)
    except (nats.js.errors.KeyNotFoundError, nats.js.errors.KeyDeletedError):
        return None, None
    return (_decode(entry.value) if entry.value else None), entry.revision
