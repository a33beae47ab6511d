"""Generic webhook: POST the event as JSON, signed with HMAC-SHA256 when a secret is set."""

from __future__ import annotations

import asyncio
import hashlib
import hmac

import aiohttp

from services.notifier.providers import SendOutcome, webhook_body
from shared.events import Delivery


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def build(d: Delivery, config: dict) -> tuple[str, dict[str, str], bytes]:
    body = webhook_body(d)
    headers = {
        **{str(k): str(v) for k, v in (config.get("headers") or {}).items()},
        "Content-Type": "application/json",
        "User-Agent": "upmon-webhook/0.1",
        # Stable across retries, so receivers can drop a repeated delivery.
        "X-Upmon-Delivery": d.delivery_id,
        "X-Upmon-Event": d.event,
    }
    if config.get("secret"):
        headers["X-Upmon-Signature"] = signature(config["secret"], body)
    return config["url"], headers, body


async def send(
    session: aiohttp.ClientSession, d: Delivery, config: dict, timeout_s: float
) -> SendOutcome:
    url, headers, body = build(d, config)
    try:
        async with session.post(
            url, data=body, headers=headers, timeout=aiohttp.ClientTimeout(total=timeout_s)
        ) as resp:
            await resp.read()
            return classify(resp.status, resp.headers.get("Retry-After"))
    except TimeoutError:
        return SendOutcome(False, error=f"no answer within {timeout_s:g} s", retryable=True)
    except aiohttp.ClientError as exc:
        return SendOutcome(False, error=f"{type(exc).__name__}: {exc}", retryable=True)
    except asyncio.CancelledError:
        raise


def classify(status: int, retry_after: str | None) -> SendOutcome:
    if 200 <= status < 300:
        return SendOutcome(True, status)
    retryable = status == 429 or status >= 500 or status == 408
    delay = None
    if retry_after and retry_after.strip().isdigit():
        delay = float(retry_after.strip())
    return SendOutcome(
        False, status, error=f"receiver answered {status}", retryable=retryable, retry_after_s=delay
    )
