"""The whole stack for end-to-end tests: each service a real subprocess (as compose
runs them) on the test's own NATS, Postgres and ClickHouse databases, plus a
local target server and a local webhook receiver."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import asyncpg
import pytest

from services.api.keys import create_api_key
from tests.harness import Stack, running_stack


@pytest.fixture
async def stack(settings, js, tmp_path) -> AsyncIterator[Stack]:
    async with running_stack(settings, js, tmp_path) as st:
        yield st


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
