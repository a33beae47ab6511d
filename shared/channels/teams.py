"""Microsoft Teams: an Adaptive Card in a message, which both Workflows webhooks
and the older incoming-webhook connectors accept."""

from __future__ import annotations

import aiohttp

from shared.channels import http, text
from shared.channels.base import Config, Field, Kind, SendContext, SendOutcome, Url
from shared.events import Delivery


class TeamsConfig(Config):
    webhook_url: Url


CARD = "application/vnd.microsoft.card.adaptive"
COLORS = {"monitor.down": "Attention", "monitor.reminder": "Warning", "monitor.up": "Good"}


def card(d: Delivery, ctx: SendContext) -> dict:
    heading = {
        "type": "TextBlock",
        "text": text.title(d),
        "weight": "Bolder",
        "size": "Medium",
        "wrap": True,
        "color": COLORS.get(d.event, "Accent"),
    }
    facts = [{"title": label, "value": value} for label, value in text.facts(d)]
    return {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": [
            heading,
            {"type": "TextBlock", "text": text.summary(d), "wrap": True},
            {"type": "FactSet", "facts": facts},
        ],
        "actions": [{"type": "Action.OpenUrl", "title": "Open in upmon", "url": text.link(d, ctx)}],
    }


def build(d: Delivery, config: TeamsConfig, ctx: SendContext) -> http.Request:
    doc = {
        "type": "message",
        "summary": text.title(d),
        "attachments": [{"contentType": CARD, "contentUrl": None, "content": card(d, ctx)}],
    }
    return http.json_request(config.webhook_url, doc)


async def send(
    session: aiohttp.ClientSession, d: Delivery, config: TeamsConfig, ctx: SendContext
) -> SendOutcome:
    return await http.post(session, build(d, config, ctx), ctx)


KIND = Kind(
    name="teams",
    config=TeamsConfig,
    send=send,
    form=(Field("webhook_url", "Webhook URL", "url", True),),
    secrets=frozenset({"webhook_url"}),
)
