"""Fixtures for integration tests of the api: the app served in-process."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from services.api import keys
from services.api.app import build_app
from services.api.state import ApiState

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
