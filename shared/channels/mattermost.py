"""Mattermost incoming webhook: a Markdown line for notifications and an attachment
with the facts, coloured by the state it reports."""

from __future__ import annotations

from typing import Annotated

import aiohttp
from msgspec import Meta

from shared.channels import http, text
from shared.channels.base import Config, Field, Kind, SendContext, SendOutcome, Url
from shared.events import Delivery

# Mattermost's own rule for channel names (the URL part, not the display name).
ChannelName = Annotated[str, Meta(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}(?![\s\S])")]
Username = Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$")]


class MattermostConfig(Config):
    # The hook URL carries its secret in the path.
    webhook_url: Url
    # Overrides the hook's channel, when the hook allows it.
    channel: ChannelName | None = None
    username: Username | None = None


def escape(value: str) -> str:
    """Monitor names and errors are shown as text, not as Markdown or mentions."""
    out = value
    for c in "\\`*_~[]()<>#|@":
        out = out.replace(c, "\\" + c)
    return out


def body(d: Delivery, config: MattermostConfig, ctx: SendContext) -> dict:
    attachment = {
        "fallback": text.clip(f"{text.title(d)}: {text.summary(d)}", 1000),
        "color": f"#{text.color(d):06X}",
        "title": text.clip(text.title(d), 250),
        "title_link": text.link(d, ctx),
        "text": escape(text.summary(d)),
        "fields": [
            {"short": len(value) <= 40, "title": label, "value": escape(text.clip(value, 1000))}
            for label, value in text.facts(d)
        ],
    }
    doc: dict = {"text": escape(text.title(d)), "attachments": [attachment]}
    if config.channel:
        doc["channel"] = config.channel
    if config.username:
        doc["username"] = config.username
    return doc


def build(d: Delivery, config: MattermostConfig, ctx: SendContext) -> http.Request:
    return http.json_request(config.webhook_url, body(d, config, ctx))


async def send(
    session: aiohttp.ClientSession, d: Delivery, config: MattermostConfig, ctx: SendContext
) -> SendOutcome:
    return await http.post(session, build(d, config, ctx), ctx)


KIND = Kind(
    name="mattermost",
    config=MattermostConfig,
    send=send,
    form=(
        Field("webhook_url", "Webhook URL", "url", True),
        Field("channel", "Channel (optional)"),
        Field("username", "Post as (optional)"),
    ),
    secrets=frozenset({"webhook_url"}),
)
