"""Operator views: JetStream queue depths and the live replicas of each service."""

from __future__ import annotations

from aiohttp import web
from nats.js import JetStreamContext
from nats.js.api import ConsumerInfo, StreamInfo

from services.api import jsonio, state
from services.api.routing import Route
from services.api.schemas import ConsumerStats, Queues, ReplicaList, StreamStats
from shared import liveness
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


async def queues(request: web.Request) -> web.Response:
    js = state.of(request).js
    streams = [await _stream(js, info) for info in await js.streams_info()]
    return jsonio.reply(Queues(sorted(streams, key=lambda s: s.name)))


async def services(request: web.Request) -> web.Response:
    return jsonio.reply(ReplicaList(await liveness.replicas(state.of(request).js)))


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
]
