"""What operators see of a running stack: metrics, liveness, health, and what the shipped
alert rules and the Prometheus dashboard make of its metrics.

The tests share one stack: they only read it, and starting one costs more than
all three."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
import yaml

from shared import liveness
from tests.conftest import eventually
from tests.e2e.test_check_flow import create_monitor
from tests.harness import SERVICES, Stack, stack_on_own_parts
from tests.prom_rules import RULES, filled, firing, panels, series


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


async def _scrapes(stack: Stack, api) -> list[dict[str, str]]:
    """Every service's /metrics and the api's /metrics/queues, as Prometheus would get
    them (jobs and instances as in the README's scrape configuration)."""
    found = []
    async with aiohttp.ClientSession() as session:
        for name, port in stack.metrics_ports.items():
            async with session.get(f"http://127.0.0.1:{port}/metrics") as resp:
                text = await resp.text()
            # Held as scraped: a rate over them is 0, which is still a value to show.
            found += series(text, job="upmon-services", instance=name)
    async with api.get("/metrics/queues") as resp:
        assert resp.status == 200
        found += series(await resp.text(), job="upmon-queues", instance="api")
    return found


async def test_a_healthy_stack_fires_no_alert_and_fills_every_dashboard_panel(
    stack, api, target, tmp_path
):
    monitor = await create_monitor(api, target.url)
    # A check has run and been recorded: the executor's and recorder's series exist.
    await eventually(lambda: _has_results(api, monitor["id"]), timeout=30, interval=0.3)
    scraped = await _scrapes(stack, api)
    names = [r["alert"] for g in yaml.safe_load(RULES.read_text())["groups"] for r in g["rules"]]
    # `up` is Prometheus' own series: one per target here, all answering.
    up = [
        {"series": f'up{{job="upmon-services",instance="{name}"}}', "values": "1x40"}
        for name in stack.metrics_ports
    ]
    firing(tmp_path, scraped + up, {(name, "8m"): [] for name in names})

    queries = panels()
    # What fills a panel only when something is wrong: empty on a healthy stack.
    only_when_wrong = {"Firing upmon alerts", "Publish retries per second"}
    # Cluster panels: a single server has no Raft groups to show.
    cluster = {
        "Groups without a leader",
        "Groups each NATS node leads",
        "Copies not caught up, per node",
    }
    checked = {t: e for t, e in queries.items() if t not in only_when_wrong | cluster}
    assert len(checked) >= 9, queries
    filled(tmp_path, scraped, checked)


async def _has_results(api, monitor_id: str) -> bool:
    async with api.get(f"/api/v1/monitors/{monitor_id}/results?limit=1") as resp:
        return resp.status == 200 and bool((await resp.json())["items"])
