"""The one way providers talk HTTP: a POST with a deadline, and the answer sorted
into delivered, worth retrying, or permanently refused."""

from __future__ import annotations

import urllib.parse
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, NamedTuple

import aiohttp

from shared import egress
from shared.channels.base import SendContext, SendOutcome
from shared.events import encoder

USER_AGENT = "upmon/0.1"
# Enough of a provider's refusal to see why, short enough for a log line and a DB row,
# and too short to carry much of whatever else answered on that address.
ANSWER_CHARS = egress.EXCERPT_CHARS


class Request(NamedTuple):
    url: str
    headers: dict[str, str]
    body: bytes
    method: str = "POST"


def json_request(
    url: str, doc: Any, headers: dict[str, str] | None = None, method: str = "POST"
) -> Request:
    base = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
    return Request(url, {**base, **(headers or {})}, encoder.encode(doc), method)


def form_request(url: str, fields: dict[str, str]) -> Request:
    headers = {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": USER_AGENT}
    return Request(url, headers, urllib.parse.urlencode(fields).encode())


async def post(session: aiohttp.ClientSession, req: Request, ctx: SendContext) -> SendOutcome:
    try:
        async with session.request(
            req.method,
            req.url,
            data=req.body,
            headers=req.headers,
            timeout=aiohttp.ClientTimeout(total=ctx.timeout_s),
        ) as resp:
            answer = await resp.content.read(4 * ANSWER_CHARS)
            return classify(resp.status, resp.headers.get("Retry-After"), answer)
    except TimeoutError:
        return SendOutcome(False, error=f"no answer within {ctx.timeout_s:g} s", retryable=True)
    except aiohttp.InvalidURL:
        # The URL may hold a token (Telegram, Slack): never echo it.
        return SendOutcome(False, error="invalid URL")
    except egress.EgressDenied as exc:
        return SendOutcome(False, error=str(exc))
    except aiohttp.ClientError as exc:
        if isinstance(getattr(exc, "os_error", None), egress.EgressDenied):
            return SendOutcome(False, error=str(exc.os_error))  # type: ignore[attr-defined]
        return SendOutcome(False, error=f"{type(exc).__name__}: {exc}", retryable=True)


def classify(status: int, retry_after: str | None, answer: bytes = b"") -> SendOutcome:
    if 200 <= status < 300:
        return SendOutcome(True, status)
    retryable = status in (408, 429) or status >= 500
    error = f"receiver answered {status}"
    if text := shorten(answer.decode(errors="replace")):
        error = f"{error}: {text}"
    return SendOutcome(
        False,
        status,
        error=error,
        retryable=retryable,
        retry_after_s=retry_after_seconds(retry_after) if retryable else None,
    )


def shorten(text: str, limit: int = ANSWER_CHARS) -> str:
    flat = " ".join(egress.excerpt(text, 4 * limit).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: either form RFC 9110 allows (delta or HTTP date)."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
