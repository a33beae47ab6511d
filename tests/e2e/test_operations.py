"""What operators see of a running stack: metrics, liveness, health.

The tests share one stack: they only read it, and starting one costs more than
all three."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from shared import liveness
from tests.harness import SERVICES, Stack, stack_on_own_parts


@pytest.fixture(scope="module")
async def stack(infra, pg_template, tmp_path_factory) -> AsyncIterator[Stack]:
    async with stack_on_own_parts(infra, pg_template, tmp_path_factory.mktemp("stack")) as st:
        yield st


async def test_every_service_serves_prometheus_metrics(stack):
    urls = {name: f"http://127.0.0.1:{port}/metrics" for name, port in stack.metrics_ports.items()}
    urls["api"] = f"{stack.api_url}/metrics"
    async with aiohttp.ClientSession() as session:
        for name, url in urls.items():
            async with session.get(url) as resp:
                text = await resp.text()
            assert resp.status == 200, name
            assert f'upmon_up{{service="{name}"}} 1.0' in text, name


async def test_every_replica_has_a_liveness_record(stack):
    replicas = await liveness.replicas(stack.js)
    assert sorted(r.service for r in replicas) == sorted(SERVICES)
    assert all(r.pid and r.host and r.last_seen >= r.started_at for r in replicas)


async def test_health_and_readiness_answer_on_a_healthy_stack(stack):
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{stack.api_url}/readyz") as resp:
            assert resp.status == 200
        async with session.get(f"{stack.api_url}/healthz") as resp:
            assert resp.status == 200
