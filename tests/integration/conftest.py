"""Fixtures for integration tests of the api: the app served in-process."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import nats.errors
import pytest
from aiohttp.test_utils import TestClient, TestServer

from services.api import keys
from services.api.app import build_app
from services.api.state import ApiState
from services.notifier import commands
from shared import bus, incident_commands
from tests.conftest import eventually

WEB = "https://shop.example.com/"


@dataclass
class Reply:
    status: int
    body: Any
    headers: Any


@dataclass
class Api:
    client: TestClient
    key: str

    async def call(
        self, method: str, path: str, body: Any = None, key: str | None = "", raw: bytes = b""
    ) -> Reply:
        """`key=""` uses the admin key, `key=None` sends no credentials."""
        key = self.key if key == "" else key
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        kwargs = {"json": body} if body is not None else {"data": raw}
        async with self.client.request(method, path, headers=headers, **kwargs) as resp:
            text = await resp.text()
            is_json = resp.content_type.endswith("json") and text
            return Reply(resp.status, json.loads(text) if is_json else text, resp.headers)

    async def monitor(self, **fields: Any) -> dict:
        reply = await self.call("POST", "/api/v1/monitors", monitor_body(**fields))
        assert reply.status == 201, reply.body
        return reply.body


def monitor_body(**fields: Any) -> dict:
    return {"name": "shop frontpage", "kind": "http", "target": WEB, **fields}


@pytest.fixture
async def api(settings, nc, js, pool, ch):
    state = ApiState(settings=settings, pool=pool, nc=nc, js=js, ch=ch)
    _, admin_key = await keys.create_api_key(pool, "test admin", "admin")
    async with TestClient(TestServer(build_app(state))) as client:
        yield Api(client, admin_key)


@contextlib.asynccontextmanager
async def commands_served(settings, pool) -> AsyncIterator[None]:
    """The notifier's answers to manual incident changes, on its own NATS connection as
    in the service: a changing api needs a notifier to carry the change out."""
    nc = await bus.connect(settings.nats_url, name="test-notifier-commands")
    stop = asyncio.Event()
    task = asyncio.create_task(commands.serve(nc, pool, stop))

    async def answering() -> bool:
        try:
            await nc.request(incident_commands.SUBJECT, b"{}", timeout=1)
        except nats.errors.NoRespondersError:
            return False
        return True

    try:
        await eventually(answering)
        yield
    finally:
        stop.set()
        await task
        await nc.close()


@pytest.fixture
async def incident_commands_served(settings, pool) -> AsyncIterator[None]:
    async with commands_served(settings, pool):
        yield
