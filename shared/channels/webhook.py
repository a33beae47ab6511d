"""Generic webhook: POST the event as JSON, signed with HMAC-SHA256 when a secret is set."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from typing import Annotated, Any

import aiohttp
import msgspec
from msgspec import Meta

from shared.bounds import CONTROLS_MESSAGE, MAX_HEADERS, HeaderName, HeaderValue, has_controls
from shared.channels import http
from shared.channels.base import (
    Config,
    Field,
    Kind,
    Secret,
    SendContext,
    SendOutcome,
    Url,
    webhook_body,
)
from shared.channels.http import classify
from shared.events import Delivery

_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


class WebhookConfig(Config):
    url: Url
    secret: Secret | None = None
    headers: Annotated[dict[HeaderName, HeaderValue], Meta(max_length=MAX_HEADERS)] = {}


__all__ = ["build", "classify", "send", "signature"]


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def build(d: Delivery, config: WebhookConfig | Mapping[str, Any]) -> http.Request:
    cfg = config if isinstance(config, WebhookConfig) else msgspec.convert(config, WebhookConfig)
    body = webhook_body(d)
    headers = {
        **cfg.headers,
        "Content-Type": "application/json",
        "User-Agent": "upmon-webhook/0.1",
        # Stable across retries, so receivers can drop a repeated delivery.
        "X-Upmon-Delivery": d.delivery_id,
        "X-Upmon-Event": d.event,
    }
    if cfg.secret:
        headers["X-Upmon-Signature"] = signature(cfg.secret, body)
    return http.Request(cfg.url, headers, body)


async def send(
    session: aiohttp.ClientSession, d: Delivery, config: WebhookConfig, ctx: SendContext
) -> SendOutcome:
    return await http.post(session, build(d, config), ctx)


def problems(config: WebhookConfig) -> list[tuple[str, str]]:
    for name, value in config.headers.items():
        if not _HEADER_NAME.match(name):
            return [("headers", f"{name!r} is not a valid header name")]
        if has_controls(value):
            return [("headers", f"the value of {name!r} {CONTROLS_MESSAGE}")]
    return []


KIND = Kind(
    name="webhook",
    config=WebhookConfig,
    send=send,
    form=(
        Field("url", "URL", "url", True),
        Field("secret", "Signing secret (optional)", "password"),
    ),
    secrets=frozenset({"secret"}),
    problems=problems,
    preselected=True,
)
