"""Heartbeat pushes: a cron job calls its monitor's secret URL, no other credentials.

The ping is stored durably (KV) before the answer, so an acknowledged ping is
never lost. An explicit `?status=down`, and the first `up` after one, are also
published as results at once instead of waiting for the next scheduled check.
"""

from __future__ import annotations

import uuid
from typing import Literal

import msgspec
from aiohttp import web

from services.api import state
from services.api.jsonio import reply
from services.api.problems import invalid, not_found
from services.api.routing import Param, Route
from services.api.stores import monitors as store
from shared import bus, heartbeats, topology
from shared.events import CheckResult, utcnow
from shared.monitors import FieldError, Monitor

MAX_MSG = 500


class PushReceipt(msgspec.Struct):
    ok: bool
    monitor_id: str
    status: Literal["up", "down"]
    at: str


async def push(request: web.Request) -> web.Response:
    st = state.of(request)
    status = request.query.get("status", "up")
    if status not in ("up", "down"):
        raise invalid([FieldError("status", "must be up or down")])
    msg = request.query.get("msg")
    if msg is not None and len(msg) > MAX_MSG:
        raise invalid([FieldError("msg", f"must be at most {MAX_MSG} characters")])
    monitor = await store.by_push_token(st.pool, request.match_info["token"])
    if monitor is None:
        raise not_found("push token")
    ping = heartbeats.Ping(at=utcnow(), status=status, msg=msg)
    previous = await heartbeats.record(st.js, monitor.id, ping)
    recovering = previous is not None and previous.status == "down" and status == "up"
    if not monitor.paused and (status == "down" or recovering):
        for region in monitor.regions:
            await _publish(st.js, monitor, region, ping)
    return reply(PushReceipt(True, monitor.id, status, ping.at.isoformat()))


async def _publish(js, monitor: Monitor, region: str, ping: heartbeats.Ping) -> None:
    result = CheckResult(
        check_id=f"{monitor.id}:push-{uuid.uuid4().hex[:12]}",
        monitor_id=monitor.id,
        region=region,
        scheduled_at=ping.at,
        checked_at=ping.at,
        status=ping.status,
        error_kind="reported_down" if ping.status == "down" else None,
        error=(ping.msg or "the job reported down") if ping.status == "down" else None,
        details={"explicit": True, "msg": ping.msg},
    )
    await bus.publish(js, topology.result_subject(region, monitor.id), result)


_QUERY = (
    Param("status", Literal["up", "down"], "up (default) or down: down alerts at once"),
    Param("msg", str, "a note shown with the result (at most 500 characters)"),
)
ROUTES = [
    Route(
        method,
        "/api/v1/push/{token}",
        push,
        "Record a heartbeat ping (no credentials: the token is the secret).",
        response=PushReceipt,
        query=_QUERY,
    )
    for method in ("POST", "GET")
]
