"""API rate limits: token buckets in Postgres shared by every api replica."""

from __future__ import annotations

import contextlib
import time

import msgspec
from aiohttp.test_utils import TestClient, TestServer

from services.api import keys
from services.api.app import build_app
from services.api.state import ApiState


@contextlib.asynccontextmanager
async def replicas(count: int, settings, nc, js, pool, ch, **limits):
    """`count` api apps on one database, as replicas behind a load balancer."""
    limited = msgspec.structs.replace(settings, **limits)
    async with contextlib.AsyncExitStack() as stack:
        clients = []
        for _ in range(count):
            state = ApiState(settings=limited, pool=pool, nc=nc, js=js, ch=ch)
            clients.append(
                await stack.enter_async_context(TestClient(TestServer(build_app(state))))
            )
        yield clients


async def get(client: TestClient, path: str, key: str | None = None):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    async with client.get(path, headers=headers) as resp:
        return resp.status, resp.headers, await resp.read()


async def test_a_key_past_its_budget_on_any_replica_gets_429_with_retry_after(
    settings, nc, js, pool, ch
):
    _, busy = await keys.create_api_key(pool, "busy", "read")
    _, calm = await keys.create_api_key(pool, "calm", "read")
    limits = {"rate_limit_key_rps": 0.1, "rate_limit_key_burst": 3}
    async with replicas(2, settings, nc, js, pool, ch, **limits) as (one, two):
        answers = [await get(c, "/api/v1/monitors", busy) for c in (one, two, one)]
        assert [status for status, _, _ in answers] == [200, 200, 200]

        status, headers, body = await get(two, "/api/v1/monitors", busy)
        assert status == 429
        assert headers["Content-Type"].startswith("application/problem+json")
        # One token at 0.1 a second is 10 s away, less what these requests took.
        assert 5 <= int(headers["Retry-After"]) <= 10
        assert headers["X-Content-Type-Options"] == "nosniff"
        problem = msgspec.json.decode(body)
        assert problem["status"] == 429 and "key" in problem["detail"]
        # The other replica finds the same empty bucket in Postgres.
        assert (await get(one, "/api/v1/monitors", busy))[0] == 429
        assert (await get(one, "/api/v1/monitors", calm))[0] == 200


async def test_callers_without_credentials_are_limited_per_address_but_probes_are_not(
    settings, nc, js, pool, ch
):
    limits = {"rate_limit_address_rps": 0.05, "rate_limit_address_burst": 2}
    async with replicas(1, settings, nc, js, pool, ch, **limits) as (client,):
        unknown = "/badge/00000000-0000-0000-0000-000000000000/status.svg"
        assert [(await get(client, unknown))[0] for _ in range(2)] == [404, 404]
        status, headers, _ = await get(client, "/status/anything")
        assert status == 429 and 10 <= int(headers["Retry-After"]) <= 20
        assert (await get(client, "/api/v1/push/sometoken"))[0] == 429
        for probe in ("/healthz", "/readyz", "/metrics"):
            assert (await get(client, probe))[0] == 200, probe


async def test_an_empty_bucket_refills_at_the_configured_rate(settings, nc, js, pool, ch):
    _, key = await keys.create_api_key(pool, "steady", "read")
    limits = {"rate_limit_key_rps": 2.0, "rate_limit_key_burst": 1}
    async with replicas(1, settings, nc, js, pool, ch, **limits) as (client,):
        assert (await get(client, "/api/v1/monitors", key))[0] == 200
        emptied = time.monotonic()
        statuses = []
        deadline = emptied + 5
        while time.monotonic() < deadline:
            statuses.append((await get(client, "/api/v1/monitors", key))[0])
            if statuses[-1] == 200:
                break
        waited = time.monotonic() - emptied
        assert statuses[0] == 429 and statuses[-1] == 200
        # A token every 0.5 s: it came back no sooner, and not much later.
        assert 0.45 <= waited < 3, waited
