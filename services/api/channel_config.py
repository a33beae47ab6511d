"""What each channel kind accepts in `config`, and how secrets in it are masked.
Secrets are write-only: no response ever carries one."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import msgspec

from services.api import jsonio
from services.api.problems import invalid_field
from services.api.schemas import WebhookConfig

SUPPORTED_KINDS = ("webhook",)
MASK = "********"
SECRET_KEYS = frozenset({"secret", "token", "password", "api_key", "routing_key"})
# Header values under these names are credentials, so they are masked like secrets.
SECRET_HEADER_WORDS = ("authorization", "token", "secret", "key", "cookie", "password")


def parse(kind: str, config: dict[str, Any]) -> dict[str, Any]:
    """The config to store, validated for `kind`; 422 naming the field otherwise."""
    if kind not in SUPPORTED_KINDS:
        raise invalid_field("kind", f"{kind!r} is not supported yet (supported: webhook)")
    webhook = jsonio.convert(config, WebhookConfig, "config")
    problem = _url_problem(webhook.url)
    if problem:
        raise invalid_field("config.url", problem)
    return msgspec.to_builtins(webhook)


def _url_problem(url: str) -> str | None:
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


def masked(config: dict[str, Any]) -> dict[str, Any]:
    shown = {k: MASK if k in SECRET_KEYS and v is not None else v for k, v in config.items()}
    if isinstance(shown.get("headers"), dict):
        shown["headers"] = {
            name: MASK if _secret_header(name) else value
            for name, value in shown["headers"].items()
        }
    return shown


def _secret_header(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in SECRET_HEADER_WORDS)
