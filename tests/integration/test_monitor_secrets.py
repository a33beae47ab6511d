"""Monitor credentials through the real api, Postgres and NATS: masked for every
reader, sealed at rest, in the outbox, on the MONITORS stream, in the due
messages and in `ops/events`, gone after deletion; and the executor, holding the
key, still authenticates against a local server with them."""

from __future__ import annotations

import base64
import uuid
from collections.abc import AsyncIterator

import msgspec
import pytest
from aiohttp import web

from services.api import keys
from services.executor.main import run_check
from shared import outbox
from shared.events import CheckDue, utcnow
from shared.monitors import Monitor
from shared.probes import Checker
from shared.sealing import MASK, Keyring, generate_key, is_sealed
from stack.parts import free_port

PASSWORD = "pa55-Word-only-here"
TOKEN = "tok-9f8e7d6c5b4a"
PLAINTEXTS = (PASSWORD, TOKEN)


def secret_monitor(target: str) -> dict:
    return {
        "name": "private api",
        "kind": "http",
        "target": target,
        "http": {
            "auth": {"type": "basic", "username": "ops", "password": PASSWORD},
            "headers": {"X-Api-Key": TOKEN, "Accept": "application/json"},
        },
    }


@pytest.fixture
async def private_server() -> AsyncIterator[str]:
    """A local server answering 200 only to the monitor's credentials."""
    expected = "Basic " + base64.b64encode(f"ops:{PASSWORD}".encode()).decode()

    async def handle(request: web.Request) -> web.Response:
        ok = request.headers.get("Authorization") == expected
        ok = ok and request.headers.get("X-Api-Key") == TOKEN
        return web.Response(text="ok" if ok else "who are you", status=200 if ok else 401)

    app = web.Application()
    app.router.add_get("/", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}/"
    await runner.cleanup()


@pytest.fixture
async def scoped(pool) -> dict[str, str]:
    return {s: (await keys.create_api_key(pool, s, s))[1] for s in ("read", "write")}


def assert_no_plaintext(text: str, where: str) -> None:
    for secret in PLAINTEXTS:
        assert secret not in text, f"{where} carries a plaintext secret"


async def test_every_read_masks_credentials_and_read_keys_see_no_push_token(api, scoped):
    created = await api.call("POST", "/api/v1/monitors", secret_monitor("https://e.example/"))
    assert created.status == 201, created.body
    beat = await api.call(
        "POST", "/api/v1/monitors", {"name": "job", "kind": "heartbeat"}, key=scoped["write"]
    )
    mid, hid = created.body["id"], beat.body["id"]
    assert beat.body["push_url"].endswith(beat.body["push_token"])

    for scope in ("read", "write", ""):
        key = scoped.get(scope, "")
        one = (await api.call("GET", f"/api/v1/monitors/{mid}", key=key)).body
        listed = (await api.call("GET", "/api/v1/monitors", key=key)).body
        exported = (await api.call("GET", "/api/v1/monitors:export", key=key)).body
        for shown in (one, created.body, exported[0]):
            assert shown["http"]["auth"]["password"] == MASK
            assert shown["http"]["headers"] == {"X-Api-Key": MASK, "Accept": "application/json"}
        assert_no_plaintext(msgspec.json.encode(listed).decode(), f"the list for {scope}")
        heartbeat = (await api.call("GET", f"/api/v1/monitors/{hid}", key=key)).body
        if scope == "read":
            assert heartbeat["push_token"] == MASK
            assert beat.body["push_token"] not in heartbeat["push_url"]
        else:
            assert heartbeat["push_url"] == beat.body["push_url"]

    # Read keys see targets with their credentials masked, in the dashboard's list too.
    tokened = {"name": "q", "kind": "http", "target": "https://u:pw9@e.example/?api_key=zz9"}
    made = await api.call("POST", "/api/v1/monitors", tokened)
    assert (
        made.status == 201
        and made.body["target"] == "https://u:********@e.example/?api_key=********"
    )
    for path in ("/api/v1/monitors", "/api/v1/monitors:summary"):
        page = await api.call("GET", path, key=scoped["read"])
        assert page.status == 200, page.body
        text = msgspec.json.encode(page.body).decode()
        assert "pw9" not in text and "zz9" not in text and "u:********@e.example" in text

    # The token still finds its monitor, though it is stored sealed.
    pushed = await api.call("POST", f"/api/v1/push/{beat.body['push_token']}", key=None)
    assert pushed.status == 200, pushed.body
    masked = await api.call("POST", f"/api/v1/push/{MASK}", key=None)
    assert masked.status == 404


async def test_a_patch_sending_the_mask_back_keeps_the_stored_secret(api, pool, settings):
    created = (
        await api.call("POST", "/api/v1/monitors", secret_monitor("https://e.example/"))
    ).body
    shown_http = created["http"]
    shown_http["keyword"] = "ok"

    patched = await api.call("PATCH", f"/api/v1/monitors/{created['id']}", {"http": shown_http})

    assert patched.status == 200, patched.body
    doc = await pool.fetchval("SELECT doc FROM monitors WHERE id = $1", uuid.UUID(created["id"]))
    keyring = Keyring.from_settings(settings)
    assert keyring.open(doc["http"]["auth"]["password"]) == PASSWORD
    assert keyring.open(doc["http"]["headers"]["X-Api-Key"]) == TOKEN
    assert doc["http"]["keyword"] == "ok" and doc["version"] == 2

    fresh = {"name": "new", "kind": "http", "target": "https://e.example/"}
    fresh["http"] = {"auth": {"type": "basic", "username": "ops", "password": MASK}}
    refused = await api.call("POST", "/api/v1/monitors", fresh)
    assert refused.status == 422
    assert [e["field"] for e in refused.body["errors"]] == ["http.auth.password"]


async def test_exports_include_secrets_only_for_admins_who_ask_and_round_trip(api, scoped):
    await api.call("POST", "/api/v1/monitors", secret_monitor("https://e.example/"))

    refused = await api.call("GET", "/api/v1/monitors:export?secrets=include", key=scoped["write"])
    assert refused.status == 403
    masked = (await api.call("GET", "/api/v1/monitors:export")).body
    full = (await api.call("GET", "/api/v1/monitors:export?secrets=include")).body
    assert full[0]["http"]["auth"]["password"] == PASSWORD

    again = await api.call("POST", "/api/v1/monitors:import", masked)
    assert again.status == 422
    assert {e["field"] for e in again.body["errors"]} == {
        "items[0].http.auth.password",
        "items[0].http.headers.X-Api-Key",
    }
    copied = await api.call("POST", "/api/v1/monitors:import", full)
    assert copied.status == 201, copied.body
    assert copied.body["items"][0]["http"]["auth"]["password"] == MASK


async def test_no_plaintext_at_rest_in_the_outbox_on_the_streams_or_after_deletion(
    api, pool, js, settings, private_server
):
    created = (await api.call("POST", "/api/v1/monitors", secret_monitor(private_server))).body
    mid = created["id"]
    doc = await pool.fetchval("SELECT doc::text FROM monitors WHERE id = $1", uuid.UUID(mid))
    assert_no_plaintext(doc, "monitors.doc")
    payloads = await pool.fetch("SELECT payload FROM outbox")
    assert payloads and all(PASSWORD.encode() not in r["payload"] for r in payloads)
    assert all(TOKEN.encode() not in r["payload"] for r in payloads)

    await outbox.relay_once(pool, js)
    info = await js.stream_info("MONITORS")
    for seq in range(info.state.first_seq, info.state.last_seq + 1):
        raw = (await js.get_msg("MONITORS", seq)).data
        assert_no_plaintext(raw.decode(), "the MONITORS stream")
    events = await api.call("GET", "/api/v1/ops/events?stream=MONITORS")
    assert events.status == 200 and events.body["items"]
    assert_no_plaintext(msgspec.json.encode(events.body).decode(), "ops/events")

    # The due message the scheduler would send carries the sealed copy; the executor
    # holding the key opens it and the local server lets it in.
    monitor = msgspec.json.decode(doc, type=Monitor)
    now = utcnow()
    due = CheckDue(
        check_id=f"{mid}:1",
        monitor_id=mid,
        region="default",
        slot=1,
        scheduled_at=now,
        deadline=now,
        monitor=monitor,
    )
    assert_no_plaintext(msgspec.json.encode(due).decode(), "a due message")
    async with Checker() as checker:
        outcome = await run_check(checker, js, due, Keyring.from_settings(settings))
        assert outcome.status == "up", outcome
        other = Keyring.from_settings(msgspec.structs.replace(settings, secret_key=generate_key()))
        lacking = await run_check(checker, js, due, other)
        assert lacking.error_kind == "secret_key"

    deleted = await api.call("DELETE", f"/api/v1/monitors/{mid}")
    assert deleted.status == 204
    kept = await pool.fetchval("SELECT doc FROM monitors WHERE id = $1", uuid.UUID(mid))
    assert kept["http"]["auth"]["password"] == MASK and kept["http"]["headers"]["X-Api-Key"] == MASK
    assert not any(is_sealed(v) for v in kept["http"]["headers"].values())
