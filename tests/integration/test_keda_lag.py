"""The KEDA ScaledObjects of deploy/kubernetes/ find their durables on a real nats-server.

KEDA's nats-jetstream scaler asks the monitoring port for `/jsz?acc=<account>&consumers=true
&config=true`, looks for the trigger's account, stream and consumer by name, and scales on
that consumer's num_pending + num_ack_pending. A name it does not find is no error: it falls
back to the stream's last sequence, and scales to the maximum. So every trigger is looked up
here the way KEDA does, on a server whose topology the services provisioned."""

from __future__ import annotations

import asyncio
import json
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml

from shared import bus, config, topology
from stack.parts import NatsServer, free_port

AUTOSCALING = Path(__file__).parents[2] / "deploy" / "kubernetes" / "base" / "autoscaling.yaml"


def _triggers() -> list[dict[str, str]]:
    docs = yaml.safe_load_all(AUTOSCALING.read_text())
    return [t["metadata"] for d in docs if d for t in d["spec"]["triggers"]]


def _jsz(monitor_port: int, account: str) -> dict:
    # KEDA's own query (getNATSJetStreamMonitoringURL); `$` is sent as it is written.
    query = urllib.parse.urlencode({"acc": account, "consumers": "true", "config": "true"})
    url = f"http://127.0.0.1:{monitor_port}/jsz?{query}"
    with urllib.request.urlopen(url, timeout=5) as resp:
        return json.load(resp)


def _lag(jsz: dict, trigger: dict[str, str]) -> int | None:
    """What KEDA computes for one trigger, or None where it would not find the consumer."""
    for account in jsz.get("account_details") or []:
        if account["name"] != trigger["account"]:
            continue
        for stream in account.get("stream_detail") or []:
            if stream["name"] != trigger["stream"]:
                continue
            for consumer in stream.get("consumer_detail") or []:
                if consumer["name"] == trigger["consumer"]:
                    return consumer["num_pending"] + consumer["num_ack_pending"]
    return None


@pytest.fixture
def monitored_nats(tmp_path):
    monitor = free_port()
    server = NatsServer(tmp_path, free_port(), monitor_port=monitor)
    server.start()
    yield server.url, monitor
    server.kill()


async def test_every_trigger_names_a_durable_keda_finds_with_its_lag(monitored_nats):
    url, monitor = monitored_nats
    settings = config.Settings(nats_url=url)
    nc = await bus.connect(settings, name="keda-test")
    try:
        js = bus.jetstream(nc)
        await topology.ensure(js, settings)
        for i in range(5):
            await js.publish(topology.due_subject(settings.region, f"m{i}"), b"{}")
        for i in range(3):
            await js.publish(topology.result_subject(settings.region, f"m{i}"), b"{}")
        # One of the due checks taken and not yet acked: KEDA counts it as ack-pending.
        sub = await js.pull_subscribe_bind(
            topology.executor_consumer(settings.region).durable, stream="CHECKS"
        )
        (taken,) = await sub.fetch(1, timeout=5)

        triggers = _triggers()
        assert len(triggers) == 6
        jsz = await asyncio.to_thread(_jsz, monitor, triggers[0]["account"])
        lags = {t["consumer"]: _lag(jsz, t) for t in triggers}
        assert None not in lags.values(), lags
        assert lags["executor-default"] == 5
        assert lags["recorder"] == lags["notifier-state"] == 3
        assert lags["recorder-runs"] == lags["notifier-dispatch"] == 0
        assert lags["notifier-deliver"] == 0
        # The lookup tells names apart: a misspelt consumer is not found.
        assert _lag(jsz, {**triggers[0], "consumer": "executor-defualt"}) is None
        await taken.ack()
    finally:
        await nc.close()
