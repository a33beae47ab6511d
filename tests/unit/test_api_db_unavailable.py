"""A request that finds the database away is answered 503 with Retry-After, so clients
retry; a bug is still a 500."""

from __future__ import annotations

import asyncpg
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from services.api.problems import problem_middleware


def _app(exc: Exception) -> web.Application:
    async def handler(request: web.Request) -> web.Response:
        raise exc

    app = web.Application(middlewares=[problem_middleware])
    app.router.add_get("/x", handler)
    return app


async def _get(exc: Exception):
    async with TestClient(TestServer(_app(exc), host="127.0.0.1")) as client:
        reply = await client.get("/x")
        return reply.status, reply.headers, await reply.json()


async def test_the_database_away_is_a_503_problem_with_retry_after():
    status, headers, body = await _get(asyncpg.CannotConnectNowError("starting up"))
    assert status == 503 and headers["Retry-After"] == "5"
    assert headers["Content-Type"].startswith("application/problem+json")
    assert body["status"] == 503 and "database is unavailable" in body["detail"]


async def test_a_refused_connection_is_a_503_problem():
    status, _, _ = await _get(ConnectionRefusedError(111, "refused"))
    assert status == 503


async def test_a_constraint_violation_is_still_a_500():
    status, _, body = await _get(asyncpg.UniqueViolationError("duplicate key"))
    assert status == 500 and body["type"] == "urn:upmon:problem:internal-error"
