"""Every provider against a real local recorder: the exact request it sends for a
down and an up delivery, and how it reads the recorder's answer."""

from __future__ import annotations

import asyncio
import json
import urllib.parse
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import aiohttp
import pytest
from aiohttp import web

from services.notifier.providers.registry import PROVIDERS
from shared.channels.base import SendContext
from shared.channels.webhook import signature
from stack.parts import free_port
from tests.unit.test_providers import CTX, DOWN, UP


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Recorder:
    """A local HTTP server that records each request and answers as told."""

    url: str = ""
    seen: list[Seen] = field(default_factory=list)
    status: int = 200
    answer: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.seen.append(Seen(request.method, request.path_qs, dict(request.headers), body))
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        return web.Response(status=self.status, body=self.answer, headers=self.headers)


@pytest.fixture
async def recorder() -> AsyncIterator[Recorder]:
    rec = Recorder()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", rec.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    rec.url = f"http://{host}:{port}"
    yield rec
    await runner.cleanup()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


async def deliver(session, kind, config, d=DOWN, ctx=CTX):
    outcome = await PROVIDERS[kind](session, d, config, ctx)
    assert outcome.ok, outcome
    return outcome


async def test_webhook_posts_the_documented_body_signed(recorder, session):
    config = {"url": f"{recorder.url}/hook", "secret": "s3", "headers": {"X-Team": "ops"}}
    await deliver(session, "webhook", config)

    got = recorder.seen[0]
    assert (got.method, got.path) == ("POST", "/hook")
    assert got.headers["X-Upmon-Signature"] == signature("s3", got.body)
    assert got.headers["X-Upmon-Delivery"] == "d1" and got.headers["X-Team"] == "ops"
    assert got.json()["event"] == "monitor.down" and got.json()["incident"]["id"] == "i-1"


async def test_slack_posts_text_and_blocks(recorder, session):
    config = {"webhook_url": f"{recorder.url}/services/T0/B0/x"}
    await deliver(session, "slack", config)
    await deliver(session, "slack", config, UP)

    down, up = recorder.seen
    assert (down.method, down.path) == ("POST", "/services/T0/B0/x")
    assert down.headers["Content-Type"] == "application/json"
    doc = down.json()
    assert doc["text"].startswith("[upmon] DOWN: shop frontpage\n")
    assert [b["type"] for b in doc["blocks"]] == ["header", "section", "section", "section"]
    assert {"type": "mrkdwn", "text": "*Region*\neu-west"} in doc["blocks"][2]["fields"]
    assert doc["blocks"][3]["text"]["text"] == (
        "<https://upmon.example.com/monitors/m1|Open in upmon>"
    )
    assert up.json()["text"].startswith("[upmon] UP: shop frontpage\n")


async def test_discord_posts_content_and_an_embed(recorder, session):
    await deliver(session, "discord", {"webhook_url": f"{recorder.url}/api/webhooks/1/tok"})
    await deliver(session, "discord", {"webhook_url": f"{recorder.url}/api/webhooks/1/tok"}, UP)

    down, up = recorder.seen
    assert down.path == "/api/webhooks/1/tok"
    doc = down.json()
    assert doc["content"] == "[upmon] DOWN: shop frontpage"
    (embed,) = doc["embeds"]
    assert embed["url"] == "https://upmon.example.com/monitors/m1"
    assert embed["color"] == 0xD93025 and embed["timestamp"].startswith("2026-01-01T12:00:00")
    assert {"name": "HTTP status", "value": "503", "inline": True} in embed["fields"]
    assert up.json()["embeds"][0]["color"] == 0x1E8E3E


async def test_telegram_calls_send_message_with_html(recorder, session):
    config = {"bot_token": "123:ABC", "chat_id": -100, "api_url": recorder.url}
    await deliver(session, "telegram", config)
    await deliver(session, "telegram", {**config, "chat_id": "@ops"}, UP)

    down, up = recorder.seen
    assert (down.method, down.path) == ("POST", "/bot123:ABC/sendMessage")
    doc = down.json()
    assert doc["chat_id"] == -100 and doc["parse_mode"] == "HTML"
    assert doc["text"].startswith("<b>[upmon] DOWN: shop frontpage</b>\n")
    assert '<a href="https://upmon.example.com/monitors/m1">Open in upmon</a>' in doc["text"]
    assert up.json()["chat_id"] == "@ops" and "up again after 12m 5s" in up.json()["text"]


async def test_pushover_posts_form_fields(recorder, session):
    config = {"token": "app", "user": "usr", "api_url": recorder.url}
    await deliver(session, "pushover", config)
    await deliver(session, "pushover", config, UP)

    down, up = recorder.seen
    assert (down.method, down.path) == ("POST", "/1/messages.json")
    assert down.headers["Content-Type"] == "application/x-www-form-urlencoded"
    form = dict(urllib.parse.parse_qsl(down.body.decode()))
    assert form["token"] == "app" and form["user"] == "usr"
    assert form["title"] == "[upmon] DOWN: shop frontpage" and form["priority"] == "1"
    assert form["url"] == "https://upmon.example.com/monitors/m1"
    assert "Down since: 2026-01-01 12:00:00 UTC" in form["message"]
    assert dict(urllib.parse.parse_qsl(up.body.decode()))["priority"] == "0"


async def test_ntfy_posts_text_with_headers(recorder, session):
    config = {"topic": "ops-alerts", "server": recorder.url, "token": "tk_1"}
    await deliver(session, "ntfy", config)
    await deliver(session, "ntfy", {"topic": "ops-alerts", "server": recorder.url}, UP)

    down, up = recorder.seen
    assert (down.method, down.path) == ("POST", "/ops-alerts")
    assert down.headers["Title"] == "[upmon] DOWN: shop frontpage"
    assert down.headers["Priority"] == "high" and down.headers["Tags"] == "rotating_light"
    assert down.headers["Click"] == "https://upmon.example.com/monitors/m1"
    assert down.headers["Authorization"] == "Bearer tk_1"
    assert down.body.decode().startswith("shop frontpage (https://shop.example/) is down")
    assert up.headers["Tags"] == "white_check_mark" and "Authorization" not in up.headers


async def test_pagerduty_triggers_and_resolves_one_incident(recorder, session):
    recorder.status, recorder.answer = 202, b'{"status": "success"}'
    config = {"routing_key": "R0UT1NG", "api_url": recorder.url}
    await deliver(session, "pagerduty", config)
    await deliver(session, "pagerduty", config, UP)

    trigger, resolve = recorder.seen
    assert (trigger.method, trigger.path) == ("POST", "/v2/enqueue")
    doc = trigger.json()
    assert doc["routing_key"] == "R0UT1NG" and doc["event_action"] == "trigger"
    assert doc["dedup_key"] == "i-1"
    payload = doc["payload"]
    assert payload["summary"].startswith("[upmon] DOWN: shop frontpage - ")
    assert payload["source"] == "https://shop.example/" and payload["severity"] == "critical"
    assert payload["timestamp"].startswith("2026-01-01T12:00:00")
    assert payload["custom_details"]["Error"] == "HTTP 503"
    assert doc["links"] == [
        {"href": "https://upmon.example.com/monitors/m1", "text": "Open in upmon"}
    ]
    assert resolve.json() == {
        "routing_key": "R0UT1NG",
        "dedup_key": "i-1",
        "event_action": "resolve",
    }


async def test_teams_posts_an_adaptive_card(recorder, session):
    await deliver(session, "teams", {"webhook_url": f"{recorder.url}/workflows/x"})

    got = recorder.seen[0]
    assert got.path == "/workflows/x"
    (attachment,) = got.json()["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["body"][0]["text"] == (
        "[upmon] DOWN: shop frontpage"
    )
    assert {"title": "Region", "value": "eu-west"} in card["body"][2]["facts"]
    assert card["actions"][0]["url"] == "https://upmon.example.com/monitors/m1"


async def test_opsgenie_creates_an_aliased_alert_and_closes_it(recorder, session):
    recorder.status = 202
    config = {"api_key": "g-key", "api_url": recorder.url}
    await deliver(session, "opsgenie", config)
    await deliver(session, "opsgenie", config, UP)

    create, close = recorder.seen
    assert (create.method, create.path) == ("POST", "/v2/alerts")
    assert create.headers["Authorization"] == "GenieKey g-key"
    doc = create.json()
    assert doc["alias"] == "i-1" and doc["message"] == "[upmon] DOWN: shop frontpage"
    assert doc["priority"] == "P1" and doc["details"]["Region"] == "eu-west"
    assert doc["details"]["Link"] == "https://upmon.example.com/monitors/m1"
    assert (close.method, close.path) == ("POST", "/v2/alerts/i-1/close?identifierType=alias")
    assert close.headers["Authorization"] == "GenieKey g-key"
    assert close.json()["source"] == "upmon"


# -- answers -------------------------------------------------------------------------------


async def test_a_5xx_is_retried(recorder, session):
    recorder.status = 500
    outcome = await PROVIDERS["slack"](session, DOWN, {"webhook_url": recorder.url}, CTX)
    assert not outcome.ok and outcome.retryable and outcome.status_code == 500


async def test_a_429_is_retried_after_what_the_receiver_asks(recorder, session):
    recorder.status, recorder.headers = 429, {"Retry-After": "7"}
    config = {"routing_key": "r", "api_url": recorder.url}
    outcome = await PROVIDERS["pagerduty"](session, DOWN, config, CTX)
    assert outcome.retryable and outcome.retry_after_s == 7


async def test_a_4xx_is_final_and_keeps_the_receivers_answer(recorder, session):
    recorder.status, recorder.answer = 400, b'{"ok": false, "description": "chat not found"}'
    config = {"bot_token": "1:x", "chat_id": 5, "api_url": recorder.url}
    outcome = await PROVIDERS["telegram"](session, DOWN, config, CTX)
    assert not outcome.ok and not outcome.retryable and outcome.status_code == 400
    assert outcome.error == 'receiver answered 400: {"ok": false, "description": "chat not found"}'


async def test_no_answer_in_time_is_retried(recorder, session):
    recorder.delay_s = 1.0
    quick = SendContext(timeout_s=0.2, public_url=CTX.public_url)
    outcome = await PROVIDERS["discord"](session, DOWN, {"webhook_url": recorder.url}, quick)
    assert outcome.retryable and outcome.error == "no answer within 0.2 s"


async def test_nothing_listening_is_retried(session):
    config = {"webhook_url": f"http://127.0.0.1:{free_port()}/"}
    outcome = await PROVIDERS["teams"](session, DOWN, config, CTX)
    assert not outcome.ok and outcome.retryable and outcome.status_code is None


async def test_google_chat_posts_text_threaded_per_incident(recorder, session):
    config = {"webhook_url": f"{recorder.url}/v1/spaces/S/messages?key=k1&token=t1"}
    await deliver(session, "google_chat", config)
    await deliver(session, "google_chat", config, UP)

    down, up = recorder.seen
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(down.path).query))
    assert down.method == "POST" and down.path.startswith("/v1/spaces/S/messages?")
    # The space's own key and token are kept; down and up share the incident's thread.
    assert query == {
        "key": "k1",
        "token": "t1",
        "threadKey": "i-1",
        "messageReplyOption": "REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD",
    }
    assert up.path == down.path
    text = down.json()["text"]
    assert text.startswith("*[upmon] DOWN: shop frontpage*\n")
    assert "<https://upmon.example.com/monitors/m1|Open in upmon>" in text
    assert up.json()["text"].startswith("*[upmon] UP: shop frontpage*")


async def test_mattermost_posts_an_attachment_to_the_chosen_channel(recorder, session):
    config = {"webhook_url": f"{recorder.url}/hooks/abc", "channel": "ops", "username": "upmon"}
    await deliver(session, "mattermost", config)
    await deliver(session, "mattermost", {"webhook_url": f"{recorder.url}/hooks/abc"}, UP)

    down, up = recorder.seen
    assert (down.method, down.path) == ("POST", "/hooks/abc")
    doc = down.json()
    assert doc["channel"] == "ops" and doc["username"] == "upmon"
    (attachment,) = doc["attachments"]
    assert attachment["color"] == "#D93025"
    assert attachment["title_link"] == "https://upmon.example.com/monitors/m1"
    assert {"short": True, "title": "HTTP status", "value": "503"} in attachment["fields"]
    assert "channel" not in up.json() and up.json()["attachments"][0]["color"] == "#1E8E3E"


async def test_matrix_puts_a_message_with_the_delivery_as_transaction(recorder, session):
    config = {"homeserver": recorder.url, "access_token": "syt_tok", "room_id": "!room:ex.org"}
    await deliver(session, "matrix", config)
    await deliver(session, "matrix", config)  # a retry of the same delivery

    first, again = recorder.seen
    # Same transaction id: the homeserver stores the retried message once.
    assert first.method == "PUT"
    # (The recorder sees the path decoded.)
    assert first.path == "/_matrix/client/v3/rooms/!room:ex.org/send/m.room.message/d1"
    assert again.path == first.path
    assert first.headers["Authorization"] == "Bearer syt_tok"
    doc = first.json()
    assert doc["msgtype"] == "m.text" and doc["format"] == "org.matrix.custom.html"
    assert doc["body"].startswith("[upmon] DOWN: shop frontpage")
    link = '<a href="https://upmon.example.com/monitors/m1">Open in upmon</a>'
    assert link in doc["formatted_body"]


async def test_matrix_reads_a_refusal_as_final_and_rate_limits_as_retryable(recorder, session):
    config = {"homeserver": recorder.url, "access_token": "bad", "room_id": "#ops:ex.org"}
    recorder.status, recorder.answer = 403, b'{"errcode": "M_FORBIDDEN"}'
    refused = await PROVIDERS["matrix"](session, DOWN, config, CTX)
    recorder.status, recorder.headers = 429, {"Retry-After": "7"}
    limited = await PROVIDERS["matrix"](session, DOWN, config, CTX)

    assert not refused.ok and not refused.retryable and "M_FORBIDDEN" in refused.error
    assert limited.retryable and limited.retry_after_s == 7.0
    # Encoded on the wire: a bare "#" would have cut the path there.
    assert recorder.seen[0].path.startswith("/_matrix/client/v3/rooms/%23ops:ex.org/send/")
