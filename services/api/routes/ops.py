"""Operator views: JetStream queue depths, the live replicas of each service, and what
each NATS node leads (with moving leaders, the work of shared/leadership)."""

from __future__ import annotations

import asyncio
import contextlib

from aiohttp import web
from nats.js import JetStreamContext
from nats.js.api import ConsumerInfo, StreamInfo

from services.api import jsonio, params, state
from services.api.problems import ApiError, invalid_field
from services.api.routing import Param, Route
from services.api.schemas import ConsumerStats, Queues, ReplicaList, StreamStats
from shared import leadership, liveness
from shared.placement import placement


def _consumer(info: ConsumerInfo) -> ConsumerStats:
    delivered, floor, config = info.delivered, info.ack_floor, info.config
    subjects = config.filter_subjects or ([config.filter_subject] if config.filter_subject else [])
    return ConsumerStats(
        name=info.name,
        durable=bool(config.durable_name),
        filter_subjects=list(subjects),
        pending=info.num_pending or 0,
        ack_pending=info.num_ack_pending or 0,
        redelivered=info.num_redelivered or 0,
        waiting=info.num_waiting or 0,
        delivered_seq=delivered.stream_seq if delivered else 0,
        ack_floor_seq=floor.stream_seq if floor else 0,
        last_active=delivered.last_active if delivered else None,
        placement=placement(info.cluster),
    )


async def _stream(js: JetStreamContext, info: StreamInfo) -> StreamStats:
    consumers = await js.consumers_info(info.config.name)
    return StreamStats(
        name=info.config.name,
        subjects=list(info.config.subjects or []),
        messages=info.state.messages,
        bytes=info.state.bytes,
        first_seq=info.state.first_seq,
        last_seq=info.state.last_seq,
        consumers=sorted((_consumer(c) for c in consumers), key=lambda c: c.name),
        placement=placement(info.cluster),
    )


async def read_queues(js: JetStreamContext) -> list[StreamStats]:
    """Every stream with its consumers, by name: ops/queues and /metrics/queues."""
    # At once: while a node is down, a listing can wait on groups still electing.
    streams = await asyncio.gather(*(_stream(js, info) for info in await js.streams_info()))
    return sorted(streams, key=lambda s: s.name)


async def queues(request: web.Request) -> web.Response:
    return jsonio.reply(Queues(await read_queues(state.of(request).js)))


async def services(request: web.Request) -> web.Response:
    return jsonio.reply(ReplicaList(await liveness.replicas(state.of(request).js)))


def _sample_s(request: web.Request) -> float:
    raw = params.text(request, "sample_s")
    if raw is None:
        return leadership.SAMPLE_S
    try:
        return leadership.sample_seconds(raw)
    except ValueError as exc:
        raise invalid_field("sample_s", str(exc)) from None


async def _carry_out(request: web.Request, order: leadership.LeaderOrder) -> web.Response:
    st = state.of(request)
    moving = order.action != "show"
    # Moves of two orders at once would undo each other's: one at a time per replica.
    if moving and st.leadership_lock.locked():
        raise ApiError(409, "Leaders are being moved", "another request is moving leaders")
    async with st.leadership_lock if moving else contextlib.nullcontext():
        try:
            report = await leadership.carry_out(st.js, order)
        except leadership.Refused as exc:
            raise invalid_field(exc.field, str(exc)) from None
    return jsonio.reply(report)


async def show_leaders(request: web.Request) -> web.Response:
    return await _carry_out(request, leadership.LeaderOrder(sample_s=_sample_s(request)))


async def move_leaders(request: web.Request) -> web.Response:
    order = await jsonio.body(request, leadership.LeaderOrder)
    if order.action == "show":
        raise invalid_field("action", "balance or drain; GET /api/v1/ops/leaders shows them")
    return await _carry_out(request, order)


ROUTES = [
    Route(
        "GET",
        "/api/v1/ops/queues",
        queues,
        "Every stream and its consumers: depth, pending, ack pending, redeliveries.",
        operation="listQueues",
        scope="read",
        response=Queues,
    ),
    Route(
        "GET",
        "/api/v1/ops/services",
        services,
        "Live replicas of each service.",
        operation="listServiceReplicas",
        scope="read",
        response=ReplicaList,
    ),
    Route(
        "GET",
        "/api/v1/ops/leaders",
        show_leaders,
        "What each NATS node leads: groups, and messages a second through them over a"
        " sample (`single` on one server).",
        operation="listNodeLeaders",
        scope="read",
        response=leadership.LeaderReport,
        query=(
            Param(
                "sample_s",
                float,
                f"Seconds to count messages over, 0-{leadership.SAMPLE_MAX_S:g}"
                f" (default {leadership.SAMPLE_S:g}).",
            ),
        ),
    ),
    Route(
        "POST",
        "/api/v1/ops/leaders",
        move_leaders,
        "Hand leaders over, one graceful step-down at a time: `balance` evens out what each"
        " node leads, `drain` empties `nodes` (before their maintenance); `dry_run` only"
        " plans. Answers with the moves made and where the leaders are now.",
        operation="moveLeaders",
        scope="admin",
        body=leadership.LeaderOrder,
        response=leadership.LeaderReport,
    ),
]
