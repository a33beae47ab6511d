"""Ping-by-slug for fleets: ping keys made and revoked through the API and the CLI,
stored hashed, and /push/{ping_key}/{slug} with the same signals as the push URL,
through the real api, Postgres and the KV bucket and RESULTS stream on NATS."""

from __future__ import annotations

import asyncio
import hashlib
import json

import msgspec

from services.api import ping_keys
from shared import topology
from shared.events import JobRun
from tests.integration.test_cli import upmon
from tests.unit.test_importers import FIXTURES

JOB = {"kind": "heartbeat", "heartbeat": {"period_s": 3600, "grace_s": 600, "slug": "backup-db"}}


async def _key(api) -> str:
    made = await api.call("POST", "/api/v1/ping-keys", {"name": "fleet"})
    assert made.status == 201, made.body
    return made.body["key"]


async def _next_run(sub) -> JobRun:
    msg = await sub.next_msg(timeout=5)
    return msgspec.json.decode(msg.data, type=JobRun)


async def test_a_fleet_pings_by_slug_with_the_signals_of_the_push_url(api, js):
    monitor = await api.monitor(name="db backup", **JOB)
    key = await _key(api)
    assert ping_keys.looks_like_key(key)
    sub = await js.subscribe(topology.run_subject(monitor["id"]))
    base = f"/api/v1/push/{key}/backup-db"

    started = await api.call("POST", f"{base}/start?rid=host-7", key=None)
    assert started.status == 200 and started.body["monitor_id"] == monitor["id"]
    done = await api.call("POST", f"{base}/3?rid=host-7", key=None, raw=b"disk full\n")
    assert (done.body["outcome"], done.body["status"]) == ("failure", "down")
    run = await _next_run(sub)
    assert (run.rid, run.exit_code, run.outcome) == ("host-7", 3, "failure")
    assert run.output == "disk full"
    assert run.started_at is not None and run.duration_s is not None

    ok = await api.call("GET", f"{base}?msg=all+good", key=None)
    assert ok.status == 200 and ok.body["outcome"] == "success" and ok.body["status"] == "up"
    assert (await _next_run(sub)).reason == "all good"
    logged = await api.call("POST", f"{base}/log", key=None, raw=b"step 2 of 3")
    assert logged.status == 200 and (await _next_run(sub)).outcome == "log"
    # Signals are checked the same way as on the push URL.
    bad = await api.call("POST", f"{base}/256", key=None)
    assert bad.status == 422 and bad.body["errors"][0]["field"] == "signal"
    assert (await api.call("POST", f"{base}?rid=no%20spaces", key=None)).status == 422


async def test_a_wrong_key_a_wrong_slug_and_a_revoked_key_get_the_same_404(api):
    await api.monitor(name="db backup", **JOB)
    made = await api.call("POST", "/api/v1/ping-keys", {"name": "fleet"})
    key, key_id = made.body["key"], made.body["id"]
    other = ping_keys.generate()
    wrong_key = await api.call("POST", f"/api/v1/push/{other}/backup-db", key=None)
    wrong_slug = await api.call("POST", f"/api/v1/push/{key}/backup-dbx", key=None)
    assert wrong_key.status == wrong_slug.status == 404
    assert wrong_key.headers["Content-Type"].startswith("application/problem+json")
    assert wrong_key.body == wrong_slug.body and "ping key or slug" in wrong_key.body["detail"]
    assert (await api.call("POST", f"/api/v1/push/{key}/backup-db", key=None)).status == 200

    assert (await api.call("DELETE", f"/api/v1/ping-keys/{key_id}")).status == 204
    revoked = await api.call("POST", f"/api/v1/push/{key}/backup-db/start", key=None)
    assert revoked.status == 404 and revoked.body == wrong_key.body
    [listed] = (await api.call("GET", "/api/v1/ping-keys")).body["items"]
    assert listed["revoked_at"] is not None and listed["last_used_at"] is not None


async def test_push_tokens_keep_their_routes_beside_ping_keys(api):
    monitor = await api.monitor(name="db backup", **JOB)
    await _key(api)
    token = monitor["push_token"]
    assert not ping_keys.looks_like_key(token)
    start = await api.call("POST", f"/api/v1/push/{token}/start", key=None)
    assert start.status == 200 and start.body["signal"] == "start"
    # A token-shaped first segment is never read as a ping key, nor a slug as a signal.
    wrong = await api.call("POST", f"/api/v1/push/{token}/backup-db", key=None)
    assert wrong.status == 422 and wrong.body["errors"][0]["field"] == "signal"


async def test_ping_keys_are_shown_once_and_stored_only_as_a_hash(api, pool):
    key = await _key(api)
    listed = (await api.call("GET", "/api/v1/ping-keys")).body["items"]
    assert [k["prefix"] for k in listed] == [key[:12]] and "key" not in listed[0]
    stored = await pool.fetchval("SELECT key_hash FROM ping_keys")
    assert stored == hashlib.sha256(key.encode()).hexdigest()
    assert key not in await pool.fetchval("SELECT row_to_json(k)::text FROM ping_keys k")


async def test_only_writers_make_ping_keys_and_names_are_bounded(api, pool):
    _, reader = await api_key(pool, "read")
    refused = await api.call("POST", "/api/v1/ping-keys", {"name": "x"}, key=reader)
    assert refused.status == 403
    assert (await api.call("GET", "/api/v1/ping-keys", key=reader)).status == 200
    for name in ("", "x" * 201, "a\u202eb"):
        bad = await api.call("POST", "/api/v1/ping-keys", {"name": name})
        assert bad.status == 422 and bad.body["errors"][0]["field"] == "name", name
    assert (await api.call("DELETE", "/api/v1/ping-keys/not-an-id")).status in (400, 404, 422)


async def api_key(pool, scope: str):
    from services.api import keys

    return await keys.create_api_key(pool, f"{scope} key", scope)


async def test_a_slug_is_validated_and_unique_among_live_heartbeat_monitors(api):
    first = await api.monitor(name="db backup", **JOB)
    taken = await api.call("POST", "/api/v1/monitors", {"name": "second", **JOB})
    assert taken.status == 409 and taken.body["errors"] == [
        {"field": "heartbeat.slug", "message": "is taken"}
    ]
    for slug in ("Backup", "-x", "a b", "x" * 65, "a/b"):
        body = {"name": "bad", "kind": "heartbeat", "heartbeat": {"slug": slug}}
        bad = await api.call("POST", "/api/v1/monitors", body)
        assert bad.status == 422 and bad.body["errors"][0]["field"] == "heartbeat.slug", slug

    other = await api.monitor(name="other", kind="heartbeat", heartbeat={"slug": "other-job"})
    patch = {"heartbeat": {"slug": "backup-db"}}
    clash = await api.call("PATCH", f"/api/v1/monitors/{other['id']}", patch)
    assert clash.status == 409 and clash.body["errors"][0]["field"] == "heartbeat.slug"
    # Deleting the monitor frees its slug.
    assert (await api.call("DELETE", f"/api/v1/monitors/{first['id']}")).status == 204
    moved = await api.call("PATCH", f"/api/v1/monitors/{other['id']}", patch)
    assert moved.status == 200 and moved.body["heartbeat"]["slug"] == "backup-db"


async def test_the_cli_creates_lists_and_revokes_ping_keys(settings, pool):
    made = await asyncio.to_thread(upmon, settings, "pingkey", "create", "--name", "fleet")
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip()
    assert ping_keys.looks_like_key(key) and "shown once" in made.stderr
    listed = await asyncio.to_thread(upmon, settings, "pingkey", "list", "--json")
    [row] = msgspec.json.decode(listed.stdout)
    assert row["prefix"] == key[:12] and key not in listed.stdout
    revoked = await asyncio.to_thread(upmon, settings, "pingkey", "revoke", row["id"])
    assert revoked.returncode == 0, revoked.stderr
    assert await pool.fetchval("SELECT revoked_at IS NOT NULL FROM ping_keys") is True
    again = await asyncio.to_thread(upmon, settings, "pingkey", "create", "--name", "")
    assert again.returncode == 1 and "name must be" in again.stderr
    gone = await asyncio.to_thread(
        upmon, settings, "pingkey", "revoke", "00000000-0000-0000-0000-000000000000"
    )
    assert gone.returncode == 1 and "no such ping key" in gone.stderr


async def test_imported_healthchecks_checks_keep_their_slugs_and_a_taken_one_is_named(api, pool):
    checks = json.loads((FIXTURES / "healthchecks-checks.json").read_text())
    first = await api.call("POST", "/api/v1/imports?from=healthchecks", checks)
    assert first.status in (200, 201), first.body
    key = await _key(api)
    ok = await api.call("POST", f"/api/v1/push/{key}/weekly-report/start", key=None)
    assert ok.status == 200
    stored = await pool.fetchval("SELECT count(*) FROM monitors WHERE deleted_at IS NULL")

    again = await api.call("POST", "/api/v1/imports?from=healthchecks", checks)
    assert again.status == 409 and again.body["errors"] == [
        {"field": "items[0].heartbeat.slug", "message": "is taken"}
    ]
    # All or nothing: the second import stored no monitor.
    assert await pool.fetchval("SELECT count(*) FROM monitors WHERE deleted_at IS NULL") == stored
