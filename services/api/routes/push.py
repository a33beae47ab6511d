"""Heartbeat pushes: a cron job calls its monitor's secret URL, no other credentials.

`/push/{token}` is a success (or `?status=down&msg=` a failure); `/push/{token}/start`,
`/fail`, `/{exit_code}` and `/log` time and record runs (shared.heartbeats decides).
A fleet pings the same way by slug with a shared ping key: `/push/{ping_key}/{slug}`
and `/push/{ping_key}/{slug}/{signal}`; the key's shape keeps the two routes apart.
The state is stored durably (KV) before the answer, so an acknowledged ping is never
lost; each finished run is published as a `job.run` event. A failure, and the first
success after one, are also published as results at once instead of waiting for the
next scheduled check.
"""

from __future__ import annotations

import re
import uuid
from typing import Literal

import msgspec
from aiohttp import web

from services.api import params, ping_keys, state
from services.api.jsonio import reply
from services.api.problems import ApiError, invalid, invalid_field, not_found
from services.api.routing import Param, Route
from services.api.stores import monitors as store
from shared import bounds, bus, heartbeats, topology
from shared.bus import PublishFailed
from shared.events import CheckResult, utcnow
from shared.kinds.heartbeat import HeartbeatSpec
from shared.monitors import FieldError, Monitor

MAX_MSG = 500
_RID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_EXIT = re.compile(r"[0-9]{1,3}")
SIGNALS = "start, fail, log or an exit code 0-255"


class PushReceipt(msgspec.Struct, kw_only=True):
    ok: bool
    monitor_id: str
    status: Literal["up", "down"]
    at: str
    # start, finish or log; and for a finish, how the run ended and how long it took.
    signal: str = "finish"
    outcome: str | None = None
    duration_s: float | None = None


async def push(request: web.Request) -> web.Response:
    status = params.choice(request, "status", ("up", "down")) or "up"
    return await _signal(request, "finish", 0 if status == "up" else None, ok=status == "up")


async def push_signal(request: web.Request) -> web.Response:
    name = request.match_info["signal"]
    if name in ("start", "log"):
        return await _signal(request, name, None)
    if name == "fail":
        return await _signal(request, "finish", None, ok=False)
    if _EXIT.fullmatch(name) and int(name) <= 255:
        return await _signal(request, "finish", int(name))
    raise invalid_field("signal", f"must be {SIGNALS}")


async def _signal(
    request: web.Request, kind: str, code: int | None, ok: bool = True
) -> web.Response:
    st = state.of(request)
    msg, rid = _query(request)
    output = heartbeats.output_excerpt(await request.read()) if request.can_read_body else ""
    monitor = await _monitor(request)
    spec = monitor.heartbeat or HeartbeatSpec()
    signal = heartbeats.Signal(
        kind, utcnow(), exit_code=code, ok=ok and not code, rid=rid, msg=msg, output=output
    )
    try:
        previous, run = await heartbeats.update(
            st.js, monitor.id, lambda p: heartbeats.apply(spec, p, signal, monitor.created_at)
        )
    except RuntimeError as exc:
        raise ApiError(503, "Busy", str(exc), headers={"Retry-After": "1"}) from exc
    now_down = run is not None and run.outcome == "failure"
    was_down = previous is not None and previous.at is not None and previous.status == "down"
    recovering = was_down and run is not None and run.outcome == "success"
    try:
        if run is not None:
            await bus.publish(
                st.js, topology.run_subject(monitor.id), heartbeats.run_event(monitor.id, run)
            )
        if not monitor.paused and (now_down or recovering):
            for region in monitor.regions:
                await _publish(st.js, monitor, region, run)
    except PublishFailed as exc:
        raise ApiError(503, "Unavailable", f"the run could not be recorded: {exc}") from exc
    return reply(_receipt(monitor, signal, run, down=now_down or (kind != "finish" and was_down)))


async def _monitor(request: web.Request) -> Monitor:
    pool, info = state.of(request).pool, request.match_info
    if "ping_key" in info:
        # One answer for a wrong key and a wrong slug: a guess learns nothing.
        monitor = await ping_keys.monitor_for(pool, info["ping_key"], info["slug"])
        what = "ping key or slug"
    else:
        monitor = await store.by_push_token(pool, info["token"])
        what = "push token"
    if monitor is None:
        raise not_found(what)
    return monitor


def _query(request: web.Request) -> tuple[str | None, str | None]:
    msg, rid = params.one(request, "msg"), params.typed(request, "rid")
    if msg is not None and len(msg) > MAX_MSG:
        raise invalid([FieldError("msg", f"must be at most {MAX_MSG} characters")])
    if msg is not None and bounds.has_controls(msg):
        raise invalid_field("msg", bounds.CONTROLS_MESSAGE)
    if rid is not None and not _RID.fullmatch(rid):
        raise invalid_field("rid", "must be 1-64 letters, digits or . _ : -")
    return msg, rid


def _receipt(monitor: Monitor, signal, run: heartbeats.Run | None, down: bool) -> PushReceipt:
    return PushReceipt(
        ok=True,
        monitor_id=monitor.id,
        status="down" if down else "up",
        at=signal.at.isoformat(),
        signal=signal.kind,
        outcome=run.outcome if run is not None else None,
        duration_s=run.duration_s if run is not None else None,
    )


async def _publish(js, monitor: Monitor, region: str, run: heartbeats.Run) -> None:
    down = run.outcome == "failure"
    result = CheckResult(
        check_id=f"{monitor.id}:push-{uuid.uuid4().hex[:12]}",
        monitor_id=monitor.id,
        region=region,
        scheduled_at=run.ended_at,
        checked_at=run.ended_at,
        status="down" if down else "up",
        error_kind="reported_down" if down else None,
        error=(run.reason or "the job reported down") if down else None,
        details={
            "explicit": True,
            "msg": run.reason,
            "exit_code": run.exit_code,
            "duration_s": run.duration_s,
        },
    )
    await bus.publish(js, topology.result_subject(region, monitor.id), result)


_QUERY = (
    Param("status", Literal["up", "down"], "up (default) or down: down alerts at once"),
    Param("msg", str, "a note shown with the result (at most 500 characters)"),
    Param("rid", str, "a run id (1-64 of A-Z a-z 0-9 . _ : -) pairing a start with its end"),
)
_SIGNAL_QUERY = _QUERY[1:]
_KEY = (("ping_key", ping_keys.PATTERN),)
_BY_SLUG = " The ping key is shared by a fleet; the slug is the monitor's heartbeat.slug."
# GET serves tools that cannot post; its operations need names of their own.
_VIA = {"POST": "", "GET": "ViaGet"}
ROUTES = [
    route
    for method, via in _VIA.items()
    for route in (
        # Before /push/{token}/{signal}, which has the same shape: a ping key is routed here.
        Route(
            method,
            "/api/v1/push/{ping_key}/{slug}",
            push,
            "Record a heartbeat ping or a job's success, naming the monitor by slug (no"
            " other credentials). A POST body (its last 10 KB) is kept as the run's output."
            + _BY_SLUG,
            operation=f"pushHeartbeatBySlug{via}",
            response=PushReceipt,
            query=_QUERY,
            patterns=_KEY,
        ),
        Route(
            method,
            "/api/v1/push/{ping_key}/{slug}/{signal}",
            push_signal,
            f"A job's signal, naming the monitor by slug: {SIGNALS}." + _BY_SLUG,
            operation=f"pushSignalBySlug{via}",
            response=PushReceipt,
            query=_SIGNAL_QUERY,
            patterns=_KEY,
        ),
        Route(
            method,
            "/api/v1/push/{token}",
            push,
            "Record a heartbeat ping or a job's success (no credentials: the token is the"
            " secret). A POST body (its last 10 KB) is kept with the run as its output.",
            operation=f"pushHeartbeat{via}",
            response=PushReceipt,
            query=_QUERY,
        ),
        Route(
            method,
            "/api/v1/push/{token}/{signal}",
            push_signal,
            f"A job's signal: {SIGNALS} (0 success, 1-255 failure). A start times the run"
            " its end finishes; log is recorded and changes nothing.",
            operation=f"pushSignal{via}",
            response=PushReceipt,
            query=_SIGNAL_QUERY,
        ),
    )
]
