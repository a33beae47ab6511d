"""Channel kinds: each is one module of this package declaring its `KIND` (see
base.py), found here by walking the package, so adding a kind means adding its
module and nothing else. The api validates and masks with the registry, the notifier
sends with it, and the dashboard's form is drawn from it (through
`GET /api/v1/channel-kinds`): what is accepted is exactly what can be sent.

Also the request/reply contract of a channel test (the api asks, a notifier
sends the test message and answers), since a service never imports another.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from typing import Any

import msgspec
from msgspec import Struct

from shared.channels.base import Config, Kind, url_problem

__all__ = ["CONFIGS", "KINDS", "REGISTRY", "SECRET_FIELDS", "URL_FIELDS", "load", "problems"]

# Modules of the package that are not kinds.
_PARTS = {"base", "http", "text"}


def _discover() -> dict[str, Kind]:
    found = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name not in _PARTS:
            kind = importlib.import_module(f"{__name__}.{info.name}").KIND
            found[kind.name] = kind
    return found


REGISTRY: dict[str, Kind] = _discover()
KINDS: tuple[str, ...] = tuple(REGISTRY)
CONFIGS: dict[str, type[Config]] = {k: v.config for k, v in REGISTRY.items()}
SECRET_FIELDS: dict[str, frozenset[str]] = {k: v.secrets for k, v in REGISTRY.items()}
_BY_CONFIG = {v.config: v for v in REGISTRY.values()}
URL_FIELDS = ("url", "webhook_url", "api_url", "server", "homeserver")


def load(kind: str, config: Mapping[str, Any] | Config) -> Config:
    """The typed config of `kind` from its stored form; raises msgspec.ValidationError."""
    cls = CONFIGS[kind]
    if isinstance(config, cls):
        return config
    return msgspec.convert(config, cls)


def problems(config: Config) -> list[tuple[str, str]]:
    """(field, reason) for what the struct types cannot say: URLs, addresses, headers."""
    found = []
    for name in URL_FIELDS:
        value = getattr(config, name, None)
        if value is not None and (reason := url_problem(value)):
            found.append((name, reason))
    return found + _BY_CONFIG[type(config)].problems(config)


# -- channel test: api -> notifier over NATS request/reply -----------------------------

TEST_SUBJECT = "upmon.channels.test"
TEST_QUEUE = "notifier"
# Longer than any provider's send timeout, so a slow receiver still gets its answer back.
TEST_TIMEOUT_S = 20.0


class ChannelTestRequest(Struct, kw_only=True):
    channel_id: str


class ChannelTestResult(Struct, kw_only=True):
    """What the api shows: did the test message get through, and if not, why."""

    ok: bool
    status_code: int | None = None
    error: str | None = None


class ChannelTestReply(ChannelTestResult, kw_only=True):
    retryable: bool = False
    retry_after_s: float | None = None


test_request_decoder = msgspec.json.Decoder(ChannelTestRequest)
test_reply_decoder = msgspec.json.Decoder(ChannelTestReply)
