"""Liveness, readiness and metrics: public, for orchestrators and scrapers."""

from __future__ import annotations

import asyncio

from aiohttp import web

from services.api import state
from services.api.jsonio import reply
from services.api.routing import Route
from services.api.schemas import Health, Readiness
from shared.metrics import handle_metrics

PROBE_TIMEOUT_S = 2.0


async def healthz(_: web.Request) -> web.Response:
    return reply(Health("ok"))


async def _probe(name: str, check) -> tuple[str, str]:
    try:
        ok = await asyncio.wait_for(check(), PROBE_TIMEOUT_S)
    except Exception as exc:  # any failure means not ready; the reason is reported
        return name, f"error: {type(exc).__name__}: {exc}"[:300]
    return name, "ok" if ok else "error: not reachable"


async def readyz(request: web.Request) -> web.Response:
    st = state.of(request)

    async def nats() -> bool:
        return st.nc.is_connected

    async def postgres() -> bool:
        return await st.pool.fetchval("SELECT 1") == 1

    async def clickhouse() -> bool:
        return await st.ch.ping()

    checks = dict(
        await asyncio.gather(
            _probe("nats", nats), _probe("postgres", postgres), _probe("clickhouse", clickhouse)
        )
    )
    ready = all(v == "ok" for v in checks.values())
    return reply(Readiness("ok" if ready else "unavailable", checks), 200 if ready else 503)


ROUTES = [
    Route(
        "GET",
        "/healthz",
        healthz,
        "The process is alive.",
        operation="getLiveness",
        response=Health,
    ),
    Route(
        "GET",
        "/readyz",
        readyz,
        "NATS, Postgres and ClickHouse are reachable (503 names the part that is not).",
        operation="getReadiness",
        response=Readiness,
        also_status=(503,),
    ),
    Route(
        "GET",
        "/metrics",
        handle_metrics,
        "Prometheus metrics.",
        operation="getMetrics",
        media_type="text/plain",
    ),
]
