"""GET /metrics/queues on a real nats-server: JetStream depths and backlogs that
promtool accepts, on which the shipped alert rules fire when something is wrong and
stay quiet when nothing is; and the shipped rules pass promtool's own checks."""

from __future__ import annotations

import json
import re
import subprocess

import msgspec
import pytest
import yaml
from aiohttp.test_utils import TestClient, TestServer

from services.api import keys
from services.api.app import build_app
from services.api.state import ApiState
from shared import bus, topology
from tests.debian_tools import tool
from tests.integration.conftest import Api
from tests.prom_rules import GRAFANA_MACROS, RULES, firing, series

TOKEN = "scrape-token-for-tests"


def _client(settings, nc, js, pool, ch):
    s = msgspec.structs.replace(settings, metrics_scrape_token=TOKEN, metrics_queues_max_age_s=0)
    return TestClient(TestServer(build_app(ApiState(settings=s, pool=pool, nc=nc, js=js, ch=ch))))


@pytest.fixture
async def scrape(settings, nc, js, pool, ch):
    _, admin_key = await keys.create_api_key(pool, "test admin", "admin")
    async with _client(settings, nc, js, pool, ch) as client:
        yield Api(client, admin_key)


def test_the_shipped_rules_pass_promtool_check_and_their_own_tests():
    promtool = str(tool("promtool", "prometheus"))
    checked = subprocess.run(
        [promtool, "check", "rules", RULES.name], cwd=RULES.parent, capture_output=True, text=True
    )
    tested = subprocess.run(
        [promtool, "test", "rules", "upmon-rules.test.yaml"],
        cwd=RULES.parent,
        capture_output=True,
        text=True,
    )

    assert checked.returncode == 0 and "SUCCESS" in checked.stdout, checked.stdout + checked.stderr
    assert tested.returncode == 0 and "SUCCESS" in tested.stdout, tested.stdout + tested.stderr


async def test_every_stream_and_durable_is_exported_and_passes_promtool(scrape, settings):
    reply = await scrape.call("GET", "/metrics/queues", key=TOKEN)
    text = reply.body

    assert reply.status == 200, text
    assert reply.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    assert "upmon_jetstream_up 1\n" in text
    for cfg in topology.streams(settings):
        assert f'upmon_stream_missing{{stream="{cfg.name}"}} 0\n' in text
        assert f'upmon_stream_messages{{stream="{cfg.name}"}} ' in text
    for spec in topology.CONSUMERS:
        assert (
            f'upmon_consumer_pending{{stream="{spec.stream}",consumer="{spec.durable}"}} 0\n'
            in (text)
        )
    # A single server: no copies to report.
    assert "upmon_jetstream_replica" not in text and "leaderless" not in text
    checked = subprocess.run(
        [str(tool("promtool", "prometheus")), "check", "metrics"],
        input=text,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0 and not (checked.stdout + checked.stderr).strip(), (
        checked.stdout + checked.stderr
    )


async def test_dead_letters_and_a_backlog_fire_their_alerts_and_nothing_else(scrape, js, tmp_path):
    healthy = (await scrape.call("GET", "/metrics/queues", key=TOKEN)).body
    for i in range(3):
        await js.publish(f"{topology.DLQ}.checks.result.x", b"{}", headers={"Nats-Msg-Id": f"d{i}"})
    for i in range(5):
        await js.publish(topology.result_subject("default", f"m{i}"), b"{}")
    faulty = (await scrape.call("GET", "/metrics/queues", key=TOKEN)).body
    labels = {"job": "upmon-queues", "instance": "api-1"}
    quiet = ("UpmonStreamMissing", "UpmonJetStreamUnreadable", "UpmonJetStreamLeaderless")

    firing(
        tmp_path,
        series(healthy, **labels),
        {(name, "5m"): [] for name in (*quiet, "UpmonDeadLetters", "UpmonConsumerStalled")},
    )
    # Nobody reads RESULTS here: its durables were never active, so the stall rule has
    # no last activity to go on; the dead letters are what fire.
    firing(
        tmp_path,
        series(faulty, **labels),
        {
            ("UpmonDeadLetters", "30s"): [],
            ("UpmonDeadLetters", "3m"): [{"severity": "warning"}],
            **{(name, "5m"): [] for name in quiet},
        },
    )
    assert 'upmon_consumer_pending{stream="RESULTS",consumer="recorder"} 5\n' in faulty


async def test_nats_away_is_reported_as_jetstream_down_not_an_error(
    settings, pool, ch, nc, tmp_path
):
    gone = await bus.connect(settings.nats_url, name="test-closed")
    await gone.close()
    async with _client(settings, gone, bus.jetstream(gone), pool, ch) as client:
        _, admin_key = await keys.create_api_key(pool, "test admin", "admin")
        reply = await Api(client, admin_key).call("GET", "/metrics/queues", key=TOKEN)

    assert reply.status == 200, reply.body
    assert reply.body.splitlines()[-1] == "upmon_jetstream_up 0"
    firing(
        tmp_path,
        series(reply.body, job="upmon-queues", instance="api-1"),
        {
            ("UpmonJetStreamUnreadable", "1m"): [],
            ("UpmonJetStreamUnreadable", "3m"): [{"severity": "critical", "job": "upmon-queues"}],
        },
    )


async def test_the_scrape_needs_the_token_or_a_key(scrape):
    anonymous = await scrape.call("GET", "/metrics/queues", key=None)

    assert anonymous.status == 401
    assert anonymous.headers["Content-Type"].startswith("application/problem+json")


def test_the_readme_prometheus_configs_pass_promtool(tmp_path):
    readme = (RULES.parents[2] / "README.md").read_text()
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if "scrape_configs" in b]
    token = tmp_path / "token"
    token.write_text("t")
    promtool = str(tool("promtool", "prometheus"))

    assert len(blocks) >= 2 and any("rule_files" in yaml.safe_load(b) for b in blocks)
    for i, block in enumerate(blocks):
        config = yaml.safe_load(block)
        # Their paths are the reader's: here the repository's rules and a token file.
        if "rule_files" in config:
            config["rule_files"] = [str(RULES)]
        for job in config["scrape_configs"]:
            if "authorization" in job:
                job["authorization"]["credentials_file"] = str(token)
        path = tmp_path / f"prometheus-{i}.yaml"
        path.write_text(yaml.safe_dump(config))
        checked = subprocess.run(
            [promtool, "check", "config", str(path)], capture_output=True, text=True
        )
        assert checked.returncode == 0, block + checked.stdout + checked.stderr


def test_every_dashboard_query_is_promql_promtool_accepts(tmp_path):
    dashboard = json.loads(
        (RULES.parents[1] / "grafana/dashboards/upmon-operations.json").read_text()
    )
    rules = []
    for panel in dashboard["panels"]:
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, panel["title"]
        for target in panel["targets"]:
            expr = target["expr"]
            for macro, value in GRAFANA_MACROS.items():
                expr = expr.replace(macro, value)
            assert "$" not in expr, (panel["title"], expr)
            rules.append({"record": f"panel:{panel['id']}:{target['refId']}", "expr": expr})
    path = tmp_path / "panels.yaml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "panels", "rules": rules}]}))
    checked = subprocess.run(
        [str(tool("promtool", "prometheus")), "check", "rules", str(path)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"{len(rules)} rules found" in checked.stdout
