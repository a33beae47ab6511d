"""Google Chat incoming webhook: a text message, threaded per incident, so a space
sees an outage's down, reminders and recovery as one conversation."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import aiohttp

from shared.channels import http, text
from shared.channels.base import Config, Field, Kind, SendContext, SendOutcome, Url
from shared.events import Delivery

# Google Chat's limit on one message's text.
MAX_CHARS = 4096
# Query parameters this module sets on the space's URL.
_OURS = ("threadKey", "messageReplyOption")


class GoogleChatConfig(Config):
    # The space's webhook URL; its key and token sit in the query.
    webhook_url: Url


def message(d: Delivery, ctx: SendContext) -> str:
    rows = "\n".join(f"*{label}:* {value}" for label, value in text.facts(d))
    out = f"*{text.title(d)}*\n{text.summary(d)}\n\n{rows}\n<{text.link(d, ctx)}|Open in upmon>"
    return text.clip(out, MAX_CHARS)


def thread_key(d: Delivery) -> str:
    if d.incident is not None:
        return d.incident.id
    return f"upmon-test-{d.delivery_id}" if d.event == "test" else d.monitor.id


def url(config: GoogleChatConfig, d: Delivery) -> str:
    parts = urlsplit(config.webhook_url)
    query = [
        (k, v) for k, v in parse_qsl(parts.query) if k not in ("threadKey", "messageReplyOption")
    ]
    query += [
        ("threadKey", thread_key(d)),
        # Replies to the incident's thread, or opens it on the first message.
        ("messageReplyOption", "REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD"),
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


def build(d: Delivery, config: GoogleChatConfig, ctx: SendContext) -> http.Request:
    return http.json_request(url(config, d), {"text": message(d, ctx)})


async def send(
    session: aiohttp.ClientSession, d: Delivery, config: GoogleChatConfig, ctx: SendContext
) -> SendOutcome:
    return await http.post(session, build(d, config, ctx), ctx)


KIND = Kind(
    name="google_chat",
    config=GoogleChatConfig,
    send=send,
    form=(Field("webhook_url", "Webhook URL", "url", True),),
    secrets=frozenset({"webhook_url"}),
)
