"""Pushover messages API: form fields, with a high priority while a monitor is down."""

from __future__ import annotations

import aiohttp

from shared.channels import http, text
from shared.channels.base import Config, Field, Kind, Secret, SendContext, SendOutcome, Url
from shared.events import Delivery


class PushoverConfig(Config):
    token: Secret
    user: Secret
    api_url: Url = "https://api.pushover.net"


# Pushover priorities: 1 bypasses quiet hours, -1 arrives silently.
PRIORITIES = {"monitor.down": 1, "monitor.reminder": 1, "monitor.up": 0, "test": -1}


def fields(d: Delivery, config: PushoverConfig, ctx: SendContext) -> dict[str, str]:
    rows = "\n".join(f"{label}: {value}" for label, value in text.facts(d))
    return {
        "token": config.token,
        "user": config.user,
        "title": text.clip(text.title(d), 250),
        "message": text.clip(f"{text.summary(d)}\n\n{rows}", 1024),
        "url": text.clip(text.link(d, ctx), 512),
        "url_title": "Open in upmon",
        "priority": str(PRIORITIES.get(d.event, 0)),
        "timestamp": str(int(d.at.timestamp())),
    }


def build(d: Delivery, config: PushoverConfig, ctx: SendContext) -> http.Request:
    url = f"{config.api_url.rstrip('/')}/1/messages.json"
    return http.form_request(url, fields(d, config, ctx))


async def send(
    session: aiohttp.ClientSession, d: Delivery, config: PushoverConfig, ctx: SendContext
) -> SendOutcome:
    return await http.post(session, build(d, config, ctx), ctx)


KIND = Kind(
    name="pushover",
    config=PushoverConfig,
    send=send,
    form=(
        Field("token", "Application token", "password", True),
        Field("user", "User key", "password", True),
    ),
    secrets=frozenset({"token", "user"}),
)
