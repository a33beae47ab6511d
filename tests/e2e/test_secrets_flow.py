"""A monitor with a password through the running stack (every service its own
process): the executor, holding the key, logs in to a local server, while no
stream, outbox row, stored doc or `ops/events` page ever carries the password,
before or after the monitor is deleted."""

from __future__ import annotations

import base64
import contextlib
import uuid

import asyncpg
import nats.js.errors
from aiohttp import web

from stack.parts import free_port
from tests.conftest import eventually
from tests.e2e.test_kinds import create, latest

PASSWORD = "e2e-Pa55word-never-shown"
TOKEN = "e2e-api-key-never-shown"
QUERY = "e2e-query-token-never-shown"


async def _stream_text(js, stream: str) -> str:
    info = await js.stream_info(stream)
    found = []
    if not info.state.messages:
        return ""
    for seq in range(info.state.first_seq, info.state.last_seq + 1):
        with contextlib.suppress(nats.js.errors.NotFoundError):
            found.append((await js.get_msg(stream, seq)).data.decode(errors="replace"))
    return "\n".join(found)


async def _nowhere(stack, js, api) -> None:
    for stream in ("MONITORS", "CHECKS", "RESULTS", "INCIDENTS", "DLQ"):
        text = await _stream_text(js, stream)
        assert PASSWORD not in text and TOKEN not in text and QUERY not in text, stream
    conn = await asyncpg.connect(stack.settings.pg_dsn)
    try:
        for table, column in (("monitors", "doc::text"), ("outbox", "payload::text")):
            rows = await conn.fetch(f"SELECT {column} AS v FROM {table}")
            leaks = [r for r in rows if any(x in r["v"] for x in (PASSWORD, TOKEN, QUERY))]
            assert not leaks, table
    finally:
        await conn.close()
    async with api.get("/api/v1/ops/events?stream=MONITORS&limit=500") as resp:
        text = await resp.text()
    assert resp.status == 200 and PASSWORD not in text and TOKEN not in text
    assert QUERY not in text


async def test_credentials_authenticate_yet_appear_on_no_stream_row_or_page(stack, api, js):
    expected = "Basic " + base64.b64encode(f"ops:{PASSWORD}".encode()).decode()

    async def guarded(request: web.Request) -> web.Response:
        ok = request.headers.get("Authorization") == expected
        ok = ok and request.headers.get("X-Api-Key") == TOKEN
        ok = ok and request.query.get("token") == QUERY
        return web.Response(status=200 if ok else 401)

    app = web.Application()
    app.router.add_get("/", guarded)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        mid = await create(
            api,
            kind="http",
            target=f"http://127.0.0.1:{port}/?token={QUERY}",
            interval_s=1,
            http={
                "auth": {"type": "basic", "username": "ops", "password": PASSWORD},
                "headers": {"X-Api-Key": TOKEN},
            },
        )
        result = await eventually(lambda: latest(api, mid), timeout=20)
        assert result["status"] == "up", result
        await _nowhere(stack, js, api)

        async with api.delete(f"/api/v1/monitors/{mid}") as resp:
            assert resp.status == 204
        conn = await asyncpg.connect(stack.settings.pg_dsn)
        try:

            async def announced():
                return not await conn.fetchval("SELECT count(*) FROM outbox")

            await eventually(announced, timeout=10)
            doc = await conn.fetchval(
                "SELECT doc::text FROM monitors WHERE id = $1", uuid.UUID(mid)
            )
        finally:
            await conn.close()
        assert "upmon:enc:" not in doc
        await _nowhere(stack, js, api)
    finally:
        await runner.cleanup()
