"""Discord webhook: a short `content` line and one embed with the facts."""

from __future__ import annotations

import aiohttp

from shared.channels import http, text
from shared.channels.base import Config, Field, Kind, SendContext, SendOutcome, Url
from shared.events import Delivery


class DiscordConfig(Config):
    webhook_url: Url


def body(d: Delivery, ctx: SendContext) -> dict:
    embed = {
        "title": text.clip(text.title(d), 256),
        "description": text.clip(text.summary(d), 4096),
        "url": text.link(d, ctx),
        "color": text.color(d),
        "fields": [
            {"name": label, "value": text.clip(value, 1024), "inline": len(value) <= 40}
            for label, value in text.facts(d)[:25]
        ],
        "timestamp": d.at.isoformat(),
        "footer": {"text": "upmon"},
    }
    return {
        "content": text.clip(text.title(d), 2000),
        "embeds": [embed],
        # A monitor named "@everyone" must not ping a whole server.
        "allowed_mentions": {"parse": []},
    }


def build(d: Delivery, config: DiscordConfig, ctx: SendContext) -> http.Request:
    return http.json_request(config.webhook_url, body(d, ctx))


async def send(
    session: aiohttp.ClientSession, d: Delivery, config: DiscordConfig, ctx: SendContext
) -> SendOutcome:
    return await http.post(session, build(d, config, ctx), ctx)


KIND = Kind(
    name="discord",
    config=DiscordConfig,
    send=send,
    form=(Field("webhook_url", "Webhook URL", "url", True),),
    secrets=frozenset({"webhook_url"}),
)
