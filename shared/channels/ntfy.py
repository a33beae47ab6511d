"""ntfy: the text as the body of a POST to the topic, the rest in headers."""

from __future__ import annotations

from email.header import Header
from typing import Annotated

import aiohttp
from msgspec import Meta

from shared.channels import http, text
from shared.channels.base import Config, Field, Kind, Secret, SendContext, SendOutcome, Url
from shared.events import Delivery


class NtfyConfig(Config):
    # ntfy's own rule for topic names.
    topic: Annotated[str, Meta(pattern=r"^[-_A-Za-z0-9]{1,64}(?![\s\S])")]
    server: Url = "https://ntfy.sh"
    token: Secret | None = None


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


KIND = Kind(
    name="ntfy",
    config=NtfyConfig,
    send=send,
    form=(
        Field("topic", "Topic", "text", True),
        Field("server", "Server (optional)", "url"),
        Field("token", "Access token (optional)", "password"),
    ),
    secrets=frozenset({"token"}),
)
