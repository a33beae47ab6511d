"""Slack incoming webhook: `text` for notifications and clients without blocks,
`blocks` for the readable message."""

from __future__ import annotations

import aiohttp

from shared.channels import http, text
from shared.channels.base import Config, Field, Kind, SendContext, SendOutcome, Url
from shared.events import Delivery


class SlackConfig(Config):
    webhook_url: Url


# Slack refuses a section with more fields than this.
MAX_FIELDS = 10


def escape(value: str) -> str:
    """Slack's mrkdwn treats these three as control characters."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def body(d: Delivery, ctx: SendContext) -> dict:
    fields = [
        {"type": "mrkdwn", "text": f"*{escape(label)}*\n{escape(text.clip(value, 1900))}"}
        for label, value in text.facts(d)[:MAX_FIELDS]
    ]
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": text.clip(text.title(d), 150)}},
        {"type": "section", "text": {"type": "mrkdwn", "text": escape(text.summary(d))}},
        {"type": "section", "fields": fields},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": f"<{text.link(d, ctx)}|Open in upmon>"},
        },
    ]
    return {"text": f"{text.title(d)}\n{text.summary(d)}", "blocks": blocks}


def build(d: Delivery, config: SlackConfig, ctx: SendContext) -> http.Request:
    return http.json_request(config.webhook_url, body(d, ctx))


async def send(
    session: aiohttp.ClientSession, d: Delivery, config: SlackConfig, ctx: SendContext
) -> SendOutcome:
    return await http.post(session, build(d, config, ctx), ctx)


KIND = Kind(
    name="slack",
    config=SlackConfig,
    send=send,
    form=(Field("webhook_url", "Webhook URL", "url", True),),
    secrets=frozenset({"webhook_url"}),
)
