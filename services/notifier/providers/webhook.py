"""Generic webhook: POST the event as JSON, signed with HMAC-SHA256 when a secret is set."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

import aiohttp

from services.notifier.providers import SendContext, SendOutcome, http, webhook_body
from services.notifier.providers.http import classify
from shared import channels
from shared.channels import WebhookConfig
from shared.events import Delivery

__all__ = ["build", "classify", "send", "signature"]


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def build(d: Delivery, config: WebhookConfig | Mapping[str, Any]) -> http.Request:
    cfg = channels.load("webhook", config)
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
