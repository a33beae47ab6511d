"""GET /health/queue: is work flowing? For load balancers and alerting that cannot
read Prometheus: 503 once backlog, redeliveries or dead letters pass their limits,
or once no scheduler has renewed its liveness record lately."""

from __future__ import annotations

import asyncio
from typing import Literal

import msgspec
from aiohttp import web
from nats.js import JetStreamContext

from services.api import jsonio, state
from services.api.routing import Route
from shared import liveness, topology
from shared.config import Settings
from shared.events import utcnow

PROBE_TIMEOUT_S = 3.0


class Failure(msgspec.Struct, kw_only=True):
    # The setting whose limit was passed, or `nats` when the numbers could not be read.
    check: str
    value: float | None
    limit: float | None
    message: str


class QueueHealth(msgspec.Struct, kw_only=True):
    status: Literal["ok", "unhealthy"]
    pending: int | None
    ack_pending: int | None
    redelivered: int | None
    dead_letters: int | None
    scheduler_heartbeat_age_s: float | None
    failing: list[Failure] = []


async def _numbers(js: JetStreamContext, settings: Settings) -> QueueHealth:
    totals = {"pending": 0, "ack_pending": 0, "redelivered": 0}
    dead_letters = 0
    for cfg in topology.streams(settings):
        if cfg.name == "DLQ":
            dead_letters = (await js.stream_info(cfg.name)).state.messages
        for info in await js.consumers_info(cfg.name):
            # Ephemeral readers (replays) are not work: only the durables are summed.
            if info.config.durable_name:
                totals["pending"] += info.num_pending or 0
                totals["ack_pending"] += info.num_ack_pending or 0
                totals["redelivered"] += info.num_redelivered or 0
    return QueueHealth(
        status="ok",
        dead_letters=dead_letters,
        scheduler_heartbeat_age_s=await _scheduler_age(js),
        **totals,
    )


async def _scheduler_age(js: JetStreamContext) -> float | None:
    seen = [r.last_seen for r in await liveness.replicas(js) if r.service == "scheduler"]
    return round((utcnow() - max(seen)).total_seconds(), 3) if seen else None


_LIMITS = (
    ("pending", "health_max_pending", "pending messages"),
    ("redelivered", "health_max_redelivered", "messages being redelivered"),
    ("dead_letters", "health_max_dead_letters", "dead letters"),
    ("scheduler_heartbeat_age_s", "health_max_scheduler_age_s", "seconds since a scheduler beat"),
)


def failures(h: QueueHealth, s: Settings) -> list[Failure]:
    """Every limit passed; a limit of 0 is off."""
    found = []
    for field, setting, what in _LIMITS:
        value, limit = getattr(h, field), getattr(s, setting)
        check = f"UPMON_{setting.upper()}"
        if limit <= 0:
            continue
        if value is None:
            # Only the scheduler's age can be missing: no replica has a record at all.
            found.append(
                Failure(check=check, value=None, limit=limit, message="no scheduler is alive")
            )
        elif value > limit:
            message = f"{what}: {value:g}, over the limit of {limit:g}"
            found.append(Failure(check=check, value=value, limit=limit, message=message))
    return found


async def queue_health(request: web.Request) -> web.Response:
    st = state.of(request)
    try:
        health = await asyncio.wait_for(_numbers(st.js, st.settings), PROBE_TIMEOUT_S)
    except Exception as exc:  # unreadable numbers are unhealthy; the reason is reported
        reason = f"{type(exc).__name__}: {exc}"[:300]
        failure = Failure(check="nats", value=None, limit=None, message=reason)
        unknown = QueueHealth(
            status="unhealthy",
            pending=None,
            ack_pending=None,
            redelivered=None,
            dead_letters=None,
            scheduler_heartbeat_age_s=None,
            failing=[failure],
        )
        return jsonio.reply(unknown, 503)
    health.failing = failures(health, st.settings)
    if health.failing:
        health.status = "unhealthy"
    return jsonio.reply(health, 503 if health.failing else 200)


ROUTES = [
    Route(
        "GET",
        "/health/queue",
        queue_health,
        "Backlog, redeliveries, dead letters and the scheduler's heartbeat; 503 names"
        " each limit that was passed.",
        operation="getQueueHealth",
        response=QueueHealth,
        also_status=(503,),
    ),
]
