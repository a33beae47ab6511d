"""The whole stack for end-to-end tests: each service a real subprocess (as compose
runs them) on the test's own NATS, Postgres and ClickHouse databases, plus a
local target server and a local webhook receiver."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import asyncpg
import msgspec
import pytest

from services.api.keys import create_api_key
from stack.parts import free_port
from tests.harness import SERVICES, Stack


@pytest.fixture
async def stack(settings, js, tmp_path) -> AsyncIterator[Stack]:
    s = msgspec.structs.replace(
        settings, api_port=free_port(), outbox_poll_s=0.2, scheduler_reconcile_s=5.0
    )
    s = msgspec.structs.replace(s, public_url=f"http://127.0.0.1:{s.api_port}")
    st = Stack(s, js, tmp_path)
    for name in SERVICES:
        st.start(name)
    try:
        await st.wait_live()
        yield st
    finally:
        st.stop_all()


@pytest.fixture
async def api(stack: Stack) -> AsyncIterator[aiohttp.ClientSession]:
    conn = await asyncpg.connect(stack.settings.pg_dsn)
    try:
        _, key = await create_api_key(conn, "e2e", "admin")
    finally:
        await conn.close()
    headers = {"Authorization": f"Bearer {key}"}
    async with aiohttp.ClientSession(base_url=stack.api_url, headers=headers) as session:
        yield session
