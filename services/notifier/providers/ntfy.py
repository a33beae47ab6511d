"""ntfy: the text as the body of a POST to the topic, the rest in headers."""

from __future__ import annotations

from email.header import Header

import aiohttp

from services.notifier.providers import SendContext, SendOutcome, http, text
from shared.channels import NtfyConfig
from shared.events import Delivery

PRIORITIES = {"monitor.down": "high", "monitor.reminder": "high", "monitor.up": "default"}
TAGS = {
    "monitor.down": "rotating_light",
    "monitor.reminder": "rotating_light",
    "monitor.up": "white_check_mark",
    "test": "test_tube",
}


def header_text(value: str) -> str:
    """HTTP headers are ASCII; ntfy decodes RFC 2047 for anything else."""
    return value if value.isascii() else Header(value, "utf-8").encode()


def build(d: Delivery, config: NtfyConfig, ctx: SendContext) -> http.Request:
    headers = {
        "Content-Type": "text/plain; charset=utf-8",
        "User-Agent": http.USER_AGENT,
        "Title": header_text(text.clip(text.title(d), 250)),
        "Priority": PRIORITIES.get(d.event, "low"),
        "Tags": TAGS.get(d.event, "bell"),
        "Click": text.link(d, ctx),
    }
    if config.token:
        headers["Authorization"] = f"Bearer {config.token}"
    url = f"{config.server.rstrip('/')}/{config.topic}"
    body = f"{text.summary(d)}\n\n" + "\n".join(f"{k}: {v}" for k, v in text.facts(d))
    return http.Request(url, headers, body.encode())


async def send(
    session: aiohttp.ClientSession, d: Delivery, config: NtfyConfig, ctx: SendContext
) -> SendOutcome:
    return await http.post(session, build(d, config, ctx), ctx)
