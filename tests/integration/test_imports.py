"""`upmon import --from ...` and POST /api/v1/imports on real Postgres: what maps is
created through the api's validation and stores, all or nothing."""

from __future__ import annotations

import json

from shared.sealing import Keyring
from tests.integration.test_cli import upmon
from tests.unit.test_importers import FIXTURES

KUMA = str(FIXTURES / "uptime-kuma-backup.json")


async def counts(pool) -> tuple[int, int, int]:
    return (
        await pool.fetchval("SELECT count(*) FROM monitors"),
        await pool.fetchval("SELECT count(*) FROM channels"),
        await pool.fetchval("SELECT count(*) FROM outbox"),
    )


async def test_cli_dry_run_then_import_of_a_kuma_backup(settings, pool):
    dry = upmon(settings, "import", "--from", "uptime-kuma", KUMA, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "dry run: 10 would be created, 5 not mappable" in dry.stdout
    assert await counts(pool) == (0, 0, 0)

    done = upmon(settings, "import", "--from", "uptime-kuma", KUMA)

    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "10 created, 5 not mappable" in out
    assert "not mappable  game server" in out and "type 'steam'" in out
    assert "not mappable  reports db" in out and "runs a query of its own" in out
    assert "channel  created  slack" in out and "push: http" in out
    assert await counts(pool) == (10, 3, 10)
    doc = await pool.fetchval("SELECT doc::text FROM monitors WHERE doc->>'name' = 'shop'")
    assert len(json.loads(doc)["channel_ids"]) == 2
    # The webhook URL is a secret: stored sealed, as POST /api/v1/channels stores it.
    stored = await pool.fetchval("SELECT config::text FROM channels WHERE kind = 'slack'")
    assert "hooks.slack.com" not in stored


async def test_kuma_database_passwords_are_stored_sealed(settings, pool):
    done = upmon(settings, "import", "--from", "uptime-kuma", KUMA)
    assert done.returncode == 0, done.stderr

    rows = await pool.fetch(
        "SELECT doc::text AS doc FROM monitors WHERE doc->>'kind' IN ($1, $2)", "redis", "postgres"
    )
    docs = {d["name"]: d for d in (json.loads(r["doc"]) for r in rows)}
    keyring = Keyring.from_settings(settings)
    assert not any(p in r["doc"] for r in rows for p in ("s3cr@t", "hunter2", "pg/pass"))
    assert keyring.open(docs["session cache"]["redis"]["password"]) == "s3cr@t"
    assert keyring.open(docs["queue"]["redis"]["password"]) == "hunter2"
    assert keyring.open(docs["orders db"]["postgres"]["password"]) == "pg/pass"


def test_cli_refuses_a_file_of_another_tool(settings, tmp_path):
    wrong = upmon(settings, "import", "--from", "gatus", KUMA)
    missing = upmon(settings, "import", "--from", "gatus", str(tmp_path / "nope.yaml"))
    unknown = upmon(settings, "import", "--from", "nagios", KUMA)

    assert wrong.returncode == 1 and "endpoints" in wrong.stderr
    assert "Traceback" not in wrong.stderr and len(wrong.stderr.splitlines()) == 1
    assert missing.returncode == 1 and "cannot read" in missing.stderr
    assert unknown.returncode == 2 and "invalid choice" in unknown.stderr


async def test_api_imports_gatus_yaml_with_its_alert_channels(api, pool):
    body = (FIXTURES / "gatus.yaml").read_bytes()
    async with api.client.post(
        "/api/v1/imports?from=gatus",
        data=body,
        headers={"Authorization": f"Bearer {api.key}", "Content-Type": "application/yaml"},
    ) as resp:
        report = await resp.json()
        assert resp.status == 201, report

    outcomes = {i["source"]: i["outcome"] for i in report["items"]}
    assert outcomes["core/frontend"] == "created"
    assert outcomes["core/frontend certificate"] == "created"
    assert outcomes["websocket chat"] == "not mappable"
    assert report["created"] == 8 and report["not_mappable"] == 2
    assert [c["kind"] for c in report["channels"]] == ["slack", "pagerduty", "google_chat"]
    front = next(i for i in report["items"] if i["source"] == "core/frontend")
    monitor = await api.call("GET", f"/api/v1/monitors/{front['monitor_id']}")
    assert len(monitor.body["channel_ids"]) == 2
    assert monitor.body["http"]["json_assertions"][0]["path"] == "$.status"
    assert await counts(pool) == (8, 3, 8)


async def test_one_invalid_mapped_item_stores_nothing(api, pool):
    backup = json.loads((FIXTURES / "uptime-kuma-backup.json").read_text())
    backup["monitorList"][3]["hostname"] = "not a host"

    reply = await api.call("POST", "/api/v1/imports?from=uptime-kuma", backup)
    dry = await api.call("POST", "/api/v1/imports?from=uptime-kuma&dry_run=true", backup)
    no_tool = await api.call("POST", "/api/v1/imports", backup)
    other = await api.call("POST", "/api/v1/imports?from=healthchecks", backup)

    assert reply.status == 422, reply.body
    assert [e["field"] for e in reply.body["errors"]] == ["items[3].target"]
    assert dry.status == 422
    assert no_tool.status == 422 and no_tool.body["errors"][0]["field"] == "from"
    assert other.status == 422 and "healthchecks" in other.body["detail"]
    assert await counts(pool) == (0, 0, 0)


async def test_import_needs_a_write_key(api, pool):
    from services.api import keys

    _, read_key = await keys.create_api_key(pool, "reader", "read")
    reply = await api.call("POST", "/api/v1/imports?from=gatus", {"endpoints": []}, key=read_key)
    assert reply.status == 403
