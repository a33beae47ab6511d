"""Pushover messages API: form fields, with a high priority while a monitor is down."""

from __future__ import annotations

import aiohttp

from services.notifier.providers import SendContext, SendOutcome, http, text
from shared.channels import PushoverConfig
from shared.events import Delivery

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
