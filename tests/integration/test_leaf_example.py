"""deploy/leaf works as shipped: the hub and leaf configurations (TLS both ways and a
password) run on loopback, and a client of the leaf reaches the hub's JetStream by its
domain, streams and KV buckets alike."""

from __future__ import annotations

from pathlib import Path

from shared import bus, config, topology
from stack.parts import NatsServer, free_port
from tests.conftest import eventually
from tests.integration.servers.certs import TestCA

DEPLOY = Path(__file__).parents[2] / "deploy" / "leaf"


def _files(tmp: Path) -> dict[str, str]:
    ca = TestCA()
    (tmp / "ca.crt").write_bytes(ca.cert_pem)
    hub_cert, hub_key = ca.issue(("localhost", "127.0.0.1")).write(tmp)
    leaf_cert, leaf_key = ca.issue(("leaf-eu",), client=True).write(tmp)
    return {
        "/etc/nats/ca.crt": str(tmp / "ca.crt"),
        "/etc/nats/hub.crt": str(hub_cert),
        "/etc/nats/hub.key": str(hub_key),
        "/etc/nats/leaf-eu.crt": str(leaf_cert),
        "/etc/nats/leaf-eu.key": str(leaf_key),
    }


def _text(name: str, swaps: dict[str, str]) -> str:
    text = (DEPLOY / name).read_text()
    for old, new in swaps.items():
        text = text.replace(old, new)
    # Only the commented-out .creds line keeps its placeholder path.
    assert all("/etc/nats" not in line or "#" in line for line in text.splitlines())
    return text


async def test_the_shipped_leaf_and_hub_configs_link_a_region_to_the_hub(tmp_path):
    files = _files(tmp_path)
    leafnode = free_port()
    hub_swaps = {**files, "port: 7422": f"port: {leafnode}", "/var/lib/nats": str(tmp_path)}
    # The shipped file enables JetStream itself (store_dir, domain).
    hub = NatsServer(tmp_path, free_port(), conf=_text("hub.conf", hub_swaps), jetstream=False)
    leaf_swaps = {**files, "hub.example.net:7422": f"localhost:{leafnode}"}
    leaf = NatsServer(
        tmp_path, free_port(), node="leaf-eu", conf=_text("leaf.conf", leaf_swaps), jetstream=False
    )
    hub.start()
    leaf.start()
    env = dict(
        line.split("=", 1)
        for line in (DEPLOY / "executor.env").read_text().splitlines()
        if line and not line.startswith("#")
    )
    settings = config.load({**env, "UPMON_NATS_URL": leaf.url, "UPMON_NATS_REPLICAS": "1"})
    assert settings.region == "eu" and settings.nats_domain == "hub"
    nc = await bus.connect(settings, name="leaf-test")
    try:
        js = bus.jetstream(nc, 10, settings.nats_domain)

        async def linked():
            try:
                return await js.account_info()
            except Exception:
                return None

        await eventually(linked, timeout=15)
        await topology.ensure(js, settings)
        ack = await js.publish("checks.result.eu.m1", b"{}", headers={bus.MSG_ID: "r1"})
        assert ack.stream == "RESULTS" and ack.domain == "hub"
        kv = await js.key_value(topology.LIVENESS_BUCKET)
        await kv.put("executor.site", b"alive")
        assert (await kv.get("executor.site")).value == b"alive"
        assert "executor-eu" in {c.name for c in await js.consumers_info("CHECKS")}
    finally:
        await nc.close()
        leaf.stop()
        hub.stop()
    assert "Leafnode connection created" in hub.log_path.read_text()
