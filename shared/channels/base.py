"""What every channel kind module is made of. A kind is one module in this package
that declares its `KIND`: the config struct the api validates and the notifier sends
with, its write-only fields, the fields of the dashboard's form, and `send`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from msgspec import Struct

from shared.bounds import plain
from shared.events import Delivery, encoder
from shared.sealing import Keyring

Text = Annotated[str, plain(2048, 1)]
Secret = Annotated[str, plain(1024, 1)]
Url = Annotated[str, plain(2048, 1)]
Address = Annotated[str, plain(320, 1)]


class Config(Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    pass


@dataclass(frozen=True)
class SendOutcome:
    ok: bool
    status_code: int | None = None
    error: str | None = None
    # Worth trying again (timeouts, 5xx, 429); otherwise the failure is permanent.
    retryable: bool = False
    retry_after_s: float | None = None


@dataclass(frozen=True)
class SendContext:
    timeout_s: float
    # Where people open upmon; links in messages start here.
    public_url: str
    # Opens the channel secrets stored sealed; None only where configs are plaintext.
    keyring: Keyring | None = None


@dataclass(frozen=True)
class Field:
    """One input of the dashboard's channel form, named as the config names it."""

    name: str
    label: str
    input: Literal["text", "url", "password", "email", "number", "list"] = "text"
    required: bool = False


# `session` is an aiohttp.ClientSession (None for kinds that do not speak HTTP).
Send = Callable[[Any, Delivery, Any, SendContext], Awaitable[SendOutcome]]


@dataclass(frozen=True)
class Kind:
    name: str
    config: type[Config]
    send: Send
    form: tuple[Field, ...]
    # Write-only fields: never shown again once stored.
    secrets: frozenset[str] = frozenset()
    # (field, reason) for what the struct's types cannot say.
    problems: Callable[[Any], list[tuple[str, str]]] = lambda _config: []
    # The kind a new channel's form starts at; exactly one kind says so.
    preselected: bool = False


def webhook_body(d: Delivery) -> bytes:
    """The documented webhook payload (API.md), also the base of other providers' texts."""
    return encoder.encode(
        {
            "event": d.event,
            "delivery_id": d.delivery_id,
            "monitor": d.monitor,
            "incident": d.incident,
            "result": d.result,
            **({"anomaly": d.anomaly} if d.anomaly is not None else {}),
            "at": d.at,
        }
    )


def url_problem(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing the port is the check
    except ValueError as exc:
        return f"invalid URL: {exc}"
    if parts.scheme not in ("http", "https"):
        return "must be an http:// or https:// URL"
    if not parts.hostname:
        return "URL has no host"
    return None
