"""POST /api/v1/monitors:import (all-or-nothing, every error named by index) and
GET /api/v1/monitors:export, on real Postgres."""

from __future__ import annotations

import uuid

import asyncpg
import msgspec
import pytest
import yaml
from aiohttp.test_utils import TestClient, TestServer

from services.api import keys
from services.api.app import build_app
from services.api.state import ApiState
from shared import db
from tests.integration.conftest import Api, monitor_body

GOOD = [
    monitor_body(name="shop", tags=["shop"]),
    {"name": "db port", "kind": "tcp", "target": "db.example.com:5432", "interval_s": 30},
    {"name": "nightly job", "kind": "heartbeat", "heartbeat": {"period_s": 86400}},
]


async def counts(pool) -> tuple[int, int]:
    monitors = await pool.fetchval("SELECT count(*) FROM monitors")
    events = await pool.fetchval("SELECT count(*) FROM outbox")
    return monitors, events


async def test_import_stores_every_monitor_with_its_event(api, pool):
    reply = await api.call("POST", "/api/v1/monitors:import", GOOD)

    assert reply.status == 201, reply.body
    assert reply.body["created"] == 3
    assert [m["name"] for m in reply.body["items"]] == ["shop", "db port", "nightly job"]
    assert reply.body["items"][2]["push_url"]
    assert await counts(pool) == (3, 3)
    listed = await api.call("GET", "/api/v1/monitors")
    assert len(listed.body["items"]) == 3


async def test_one_bad_item_stores_nothing_and_names_every_error(api, pool):
    bad = [
        *GOOD,
        monitor_body(interval_s=0),
        {"name": "x", "kind": "tcp", "target": "no-port"},
        monitor_body(channel_ids=[str(uuid.uuid4())]),
        "not a monitor",
    ]

    reply = await api.call("POST", "/api/v1/monitors:import", bad)

    assert reply.status == 422
    fields = [e["field"] for e in reply.body["errors"]]
    assert fields == ["items[3].interval_s", "items[4].target", "items[5].channel_ids", "items[6]"]
    assert await counts(pool) == (0, 0)


async def test_yaml_body_and_malformed_documents(api, pool):
    text = yaml.safe_dump(GOOD[:2]).encode()
    async with api.client.post(
        "/api/v1/monitors:import",
        data=text,
        headers={"Authorization": f"Bearer {api.key}", "Content-Type": "application/yaml"},
    ) as resp:
        assert resp.status == 201, await resp.text()

    broken = await api.call("POST", "/api/v1/monitors:import", raw=b"[{unclosed")
    empty = await api.call("POST", "/api/v1/monitors:import", [])
    one = await api.call("POST", "/api/v1/monitors:import", GOOD[0])

    assert broken.status == 400 and broken.body["detail"].startswith("the body is not valid")
    assert empty.status == 422 and empty.body["errors"][0]["field"] == "items"
    assert one.status == 422
    assert await counts(pool) == (2, 2)


async def test_import_needs_write_and_export_read(api, pool):
    _, reader = await keys.create_api_key(pool, "reader", "read")
    assert (await api.call("POST", "/api/v1/monitors:import", GOOD, key=reader)).status == 403
    assert (await api.call("GET", "/api/v1/monitors:export", key=reader)).status == 200
    assert (await api.call("GET", "/api/v1/monitors:export", key=None)).status == 401


@pytest.fixture
async def other_api(infra, pg_template, settings, nc, js, ch):
    """A second api on a fresh, empty database."""
    admin = infra.pg_admin_dsn()
    name = f"t_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(admin)
    await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    await conn.close()
    other = msgspec.structs.replace(settings, pg_dsn=f"{admin.rpartition('/')[0]}/{name}")
    pool = await db.connect_pool(other.pg_dsn)
    _, key = await keys.create_api_key(pool, "admin", "admin")
    state = ApiState(settings=other, pool=pool, nc=nc, js=js, ch=ch)
    async with TestClient(TestServer(build_app(state))) as client:
        yield Api(client, key)
    await pool.close()


def _comparable(items: list[dict]) -> list[dict]:
    drop = {"id", "created_at", "updated_at", "push_token", "push_url", "status", "version"}
    return [{k: v for k, v in m.items() if k not in drop} for m in items]


@pytest.mark.parametrize("fmt", ["json", "yaml"])
async def test_export_then_import_elsewhere_gives_the_same_monitors(api, other_api, fmt):
    await api.call("POST", "/api/v1/monitors:import", GOOD)
    await api.monitor(name="paused one", paused=True, http={"method": "HEAD"})

    exported = await api.call("GET", f"/api/v1/monitors:export?format={fmt}")
    assert exported.status == 200
    assert exported.headers["Content-Type"].startswith(f"application/{fmt}")
    async with other_api.client.post(
        "/api/v1/monitors:import",
        data=exported.body if isinstance(exported.body, str) else None,
        json=exported.body if isinstance(exported.body, list) else None,
        headers={"Authorization": f"Bearer {other_api.key}"},
    ) as resp:
        assert resp.status == 201, await resp.text()

    here = (await api.call("GET", "/api/v1/monitors")).body["items"]
    there = (await other_api.call("GET", "/api/v1/monitors")).body["items"]
    assert _comparable(there) == _comparable(here) and len(here) == 4
    bad = await api.call("GET", "/api/v1/monitors:export?format=xml")
    assert bad.status == 422 and bad.body["errors"][0]["field"] == "format"
