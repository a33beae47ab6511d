"""Channels through the api: configs of every kind, masking, and the channel test,
answered by the notifier's responder over real NATS."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import aiohttp
import msgspec
import pytest

from services.api import keys
from services.notifier.providers import channel_test
from shared import bus, channels
from shared.channels.base import SendContext
from shared.sealing import Keyring, is_sealed
from tests.integration.test_providers import Recorder, recorder  # noqa: F401 - a fixture

MASK = "********"
# A valid config of every kind, with the secrets each one must never show.
CONFIGS = {
    "webhook": ({"url": "https://h.example/x", "secret": "s"}, {"secret"}),
    "slack": ({"webhook_url": "https://hooks.slack.com/services/T/B/x"}, {"webhook_url"}),
    "discord": ({"webhook_url": "https://discord.com/api/webhooks/1/t"}, {"webhook_url"}),
    "telegram": ({"bot_token": "1:AB", "chat_id": "@ops"}, {"bot_token"}),
    "email": (
        {
            "host": "smtp.example.com",
            "port": 587,
            "username": "upmon",
            "password": "pw",
            "from_addr": "upmon@example.com",
            "to_addrs": ["ops@example.com"],
        },
        {"password"},
    ),
    "pushover": ({"token": "app", "user": "usr"}, {"token", "user"}),
    "ntfy": ({"topic": "ops", "token": "tk"}, {"token"}),
    "pagerduty": ({"routing_key": "rk"}, {"routing_key"}),
    "teams": ({"webhook_url": "https://x.webhook.office.com/w/1"}, {"webhook_url"}),
    "opsgenie": ({"api_key": "k", "api_url": "https://api.eu.opsgenie.com"}, {"api_key"}),
    "google_chat": (
        {"webhook_url": "https://chat.googleapis.com/v1/spaces/S/messages?key=k&token=t"},
        {"webhook_url"},
    ),
    "mattermost": (
        {"webhook_url": "https://mm.example.com/hooks/xyz", "channel": "ops", "username": "upmon"},
        {"webhook_url"},
    ),
    "matrix": (
        {
            "homeserver": "https://matrix.example.org",
            "access_token": "syt_x",
            "room_id": "!r:ex.org",
        },
        {"access_token"},
    ),
}


def channel(kind: str, config: dict) -> dict:
    return {"name": f"{kind} channel", "kind": kind, "config": config}


async def test_every_kind_is_stored_with_its_secrets_encrypted_and_masked(api, pool, settings):
    # Every kind the registry found, so a new kind's module cannot skip this test.
    assert set(CONFIGS) == set(channels.KINDS)
    keyring = Keyring.from_settings(settings)
    for kind, (config, secrets) in CONFIGS.items():
        created = await api.call("POST", "/api/v1/channels", channel(kind, config))
        assert created.status == 201, (kind, created.body)

        shown = (await api.call("GET", f"/api/v1/channels/{created.body['id']}")).body["config"]
        assert shown == created.body["config"], kind
        for name, value in config.items():
            if name in secrets:
                assert value not in str(shown[name]) and MASK in shown[name], (kind, name)
            else:
                assert shown[name] == value, (kind, name)
        stored = await pool.fetchval(
            "SELECT config FROM channels WHERE id = $1", uuid.UUID(created.body["id"])
        )
        for name in secrets:
            assert is_sealed(stored[name]), (kind, name)
        opened = {k: keyring.open(v) if k in secrets else v for k, v in stored.items()}
        assert opened == config, kind


BAD = [
    ("slack", {}, "config.webhook_url"),
    ("slack", {"webhook_url": "hooks.slack.com/x"}, "config.webhook_url"),
    ("discord", {"webhook_url": "https://d/x", "username": "bot"}, "config.username"),
    ("telegram", {"bot_token": "t"}, "config.chat_id"),
    ("telegram", {"bot_token": "t", "chat_id": 1, "api_url": "ftp://t"}, "config.api_url"),
    ("email", {**CONFIGS["email"][0], "security": "ssl"}, "config.security"),
    ("email", {**CONFIGS["email"][0], "port": 0}, "config.port"),
    ("email", {**CONFIGS["email"][0], "to_addrs": []}, "config.to_addrs"),
    ("email", {**CONFIGS["email"][0], "to_addrs": ["a@b.io", "nobody"]}, "config.to_addrs[1]"),
    ("email", {**CONFIGS["email"][0], "from_addr": "upmon"}, "config.from_addr"),
    ("pushover", {"token": "t"}, "config.user"),
    ("ntfy", {"topic": "no spaces"}, "config.topic"),
    ("ntfy", {"topic": "t", "server": "ntfy.sh"}, "config.server"),
    ("pagerduty", {"routing_key": ""}, "config.routing_key"),
    ("teams", {"webhook_url": 5}, "config.webhook_url"),
    ("opsgenie", {}, "config.api_key"),
    ("google_chat", {"webhook_url": "chat.googleapis.com/v1"}, "config.webhook_url"),
    ("mattermost", {"webhook_url": "https://m/hooks/x", "channel": "Ops Room"}, "config.channel"),
    ("mattermost", {"webhook_url": "https://m/hooks/x", "username": "a\nb"}, "config.username"),
    ("matrix", {**CONFIGS["matrix"][0], "room_id": "room"}, "config.room_id"),
    ("matrix", {**CONFIGS["matrix"][0], "homeserver": "matrix.org"}, "config.homeserver"),
    ("matrix", {"homeserver": "https://m", "room_id": "!r:m"}, "config.access_token"),
]


async def test_bad_config_is_422_naming_the_field(api, pool):
    for kind, config, field in BAD:
        reply = await api.call("POST", "/api/v1/channels", channel(kind, config))

        assert reply.status == 422, (kind, config, reply.body)
        assert reply.body["errors"][0]["field"] == field, (kind, config, reply.body)
    assert await pool.fetchval("SELECT count(*) FROM channels") == 0


# -- channel test --------------------------------------------------------------------------


@pytest.fixture
async def responder(settings, pool) -> AsyncIterator[None]:
    """The notifier's channel-test responder, on its own NATS connection as in the service."""
    nc = await bus.connect(settings.nats_url, name="test-notifier")
    stop = asyncio.Event()
    ctx = SendContext(
        timeout_s=5.0,
        public_url="https://upmon.example.com",
        keyring=Keyring.from_settings(settings),
    )
    async with aiohttp.ClientSession() as session:
        task = asyncio.create_task(channel_test.serve(nc, pool, session, ctx, stop))
        await nc.flush()
        await asyncio.sleep(0.05)
        yield
        stop.set()
        await task
    await nc.close()


async def test_channel_test_sends_through_the_real_provider(api, responder, recorder):  # noqa: F811
    recorder.answer = b"ok"
    cid = (
        await api.call(
            "POST", "/api/v1/channels", channel("slack", {"webhook_url": f"{recorder.url}/T/B/x"})
        )
    ).body["id"]

    reply = await api.call("POST", f"/api/v1/channels/{cid}/test")

    assert reply.status == 200
    assert reply.body == {"ok": True, "status_code": 200, "error": None}
    (got,) = recorder.seen
    assert got.path == "/T/B/x" and got.json()["text"].startswith("[upmon] TEST")


async def test_channel_test_reports_what_the_receiver_refused(api, responder, recorder):  # noqa: F811
    recorder.status, recorder.answer = 403, b"invalid_token"
    hook = channel("webhook", {"url": f"{recorder.url}/hook", "secret": "s"})
    cid = (await api.call("POST", "/api/v1/channels", hook)).body["id"]

    reply = await api.call("POST", f"/api/v1/channels/{cid}/test")

    assert reply.status == 200
    assert reply.body == {
        "ok": False,
        "status_code": 403,
        "error": "receiver answered 403: invalid_token",
    }
    assert recorder.seen[0].headers["X-Upmon-Event"] == "test"
    assert recorder.seen[0].json()["event"] == "test"


async def test_channel_test_of_an_unknown_channel_is_404(api, responder):
    missing = await api.call("POST", f"/api/v1/channels/{uuid.uuid4()}/test")
    cid = await api.call("POST", "/api/v1/channels", channel("pagerduty", {"routing_key": "r"}))
    await api.call("DELETE", f"/api/v1/channels/{cid.body['id']}")
    deleted = await api.call("POST", f"/api/v1/channels/{cid.body['id']}/test")

    assert missing.status == deleted.status == 404


async def test_channel_test_without_a_notifier_is_503(api):
    cid = (await api.call("POST", "/api/v1/channels", channel("ntfy", {"topic": "t"}))).body["id"]

    reply = await api.call("POST", f"/api/v1/channels/{cid}/test")

    assert reply.status == 503
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert "notifier" in reply.body["detail"]


async def test_channel_test_needs_write_scope(api, pool):
    _, read_key = await keys.create_api_key(pool, "reader", "read")
    cid = (await api.call("POST", "/api/v1/channels", channel("ntfy", {"topic": "t"}))).body["id"]

    reply = await api.call("POST", f"/api/v1/channels/{cid}/test", key=read_key)

    assert reply.status == 403


async def test_the_channel_kinds_and_their_form_fields_come_from_the_registry(api):
    reply = await api.call("GET", "/api/v1/channel-kinds")
    assert reply.status == 200, reply.body
    kinds = {k["kind"]: k for k in reply.body["items"]}
    assert set(kinds) == set(channels.KINDS)
    assert kinds["matrix"]["secrets"] == ["access_token"]
    assert [f["name"] for f in kinds["matrix"]["fields"]] == [
        "homeserver",
        "access_token",
        "room_id",
    ]
    for kind, described in kinds.items():
        # Every form field is a field of the kind's config, and so is every secret.
        fields = {f.name for f in msgspec.structs.fields(channels.CONFIGS[kind])}
        assert {f["name"] for f in described["fields"]} <= fields, kind
        assert set(described["secrets"]) <= fields, kind
    openapi = (await api.call("GET", "/openapi.json")).body
    assert openapi["components"]["schemas"]["ChannelCreate"]["properties"]["kind"]["enum"] == list(
        channels.KINDS
    )
