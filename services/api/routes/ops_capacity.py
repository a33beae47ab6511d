"""Capacity: recommended replicas per service from live measurements."""

from __future__ import annotations

from aiohttp import web

from services.api import jsonio, state
from services.api.routing import Route
from shared import capacity


async def capacity_view(request: web.Request) -> web.Response:
    s = state.of(request)
    async with s.pool.acquire() as conn:
        found = await capacity.measure(conn, s.ch, s.settings.clickhouse_database, s.js)
    return jsonio.reply(found)


ROUTES = [
    Route(
        "GET",
        "/api/v1/ops/capacity",
        capacity_view,
        "Checks per second offered per region, each replica's measured throughput and CPU,"
        " and the replicas each service needs with headroom; names the bottleneck.",
        operation="getCapacity",
        scope="read",
        response=capacity.Capacity,
    ),
]
