"""Channel configs, one struct per kind: the api validates with them, the notifier
sends with them, so what is accepted is exactly what can be sent.

Also the request/reply contract of a channel test (the api asks, a notifier
sends the test message and answers), since a service never imports another.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import msgspec
from msgspec import Meta, Struct

from shared.bounds import (
    CONTROLS_MESSAGE,
    MAX_HEADERS,
    HeaderName,
    HeaderValue,
    has_controls,
    plain,
)

Text = Annotated[str, plain(2048, 1)]
Secret = Annotated[str, plain(1024, 1)]
Url = Annotated[str, plain(2048, 1)]
Address = Annotated[str, plain(320, 1)]
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>.]+$")
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


class _Config(Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    pass


class WebhookConfig(_Config):
    url: Url
    secret: Secret | None = None
    headers: Annotated[dict[HeaderName, HeaderValue], Meta(max_length=MAX_HEADERS)] = {}


class SlackConfig(_Config):
    webhook_url: Url


class DiscordConfig(_Config):
    webhook_url: Url


class TelegramConfig(_Config):
    bot_token: Secret
    # A numeric chat id or "@channelname", as Telegram accepts either.
    chat_id: int | Text
    api_url: Url = "https://api.telegram.org"


class EmailConfig(_Config):
    host: Annotated[str, plain(255, 1)]
    port: Annotated[int, Meta(ge=1, le=65535)]
    from_addr: Address
    to_addrs: Annotated[list[Address], Meta(min_length=1, max_length=50)]
    username: Text | None = None
    password: Secret | None = None
    security: Literal["starttls", "tls", "none"] = "starttls"


class PushoverConfig(_Config):
    token: Secret
    user: Secret
    api_url: Url = "https://api.pushover.net"


class NtfyConfig(_Config):
    # ntfy's own rule for topic names.
    topic: Annotated[str, Meta(pattern=r"^[-_A-Za-z0-9]{1,64}(?![\s\S])")]
    server: Url = "https://ntfy.sh"
    token: Secret | None = None


class PagerDutyConfig(_Config):
    routing_key: Secret
    api_url: Url = "https://events.pagerduty.com"


class TeamsConfig(_Config):
    webhook_url: Url


class OpsgenieConfig(_Config):
    api_key: Secret
    # EU accounts use https://api.eu.opsgenie.com.
    api_url: Url = "https://api.opsgenie.com"


ChannelConfig = (
    WebhookConfig
    | SlackConfig
    | DiscordConfig
    | TelegramConfig
    | EmailConfig
    | PushoverConfig
    | NtfyConfig
    | PagerDutyConfig
    | TeamsConfig
    | OpsgenieConfig
)

CONFIGS: dict[str, type[_Config]] = {
    "webhook": WebhookConfig,
    "slack": SlackConfig,
    "discord": DiscordConfig,
    "telegram": TelegramConfig,
    "email": EmailConfig,
    "pushover": PushoverConfig,
    "ntfy": NtfyConfig,
    "pagerduty": PagerDutyConfig,
    "teams": TeamsConfig,
    "opsgenie": OpsgenieConfig,
}
KINDS = tuple(CONFIGS)

# Write-only fields. Slack, Discord and Teams webhook URLs carry their token in the path.
SECRET_FIELDS: dict[str, frozenset[str]] = {
    "webhook": frozenset({"secret"}),
    "slack": frozenset({"webhook_url"}),
    "discord": frozenset({"webhook_url"}),
    "telegram": frozenset({"bot_token"}),
    "email": frozenset({"password"}),
    "pushover": frozenset({"token", "user"}),
    "ntfy": frozenset({"token"}),
    "pagerduty": frozenset({"routing_key"}),
    "teams": frozenset({"webhook_url"}),
    "opsgenie": frozenset({"api_key"}),
}
URL_FIELDS = ("url", "webhook_url", "api_url", "server")


def load(kind: str, config: Mapping[str, Any] | _Config) -> ChannelConfig:
    """The typed config of `kind` from its stored form; raises msgspec.ValidationError."""
    cls = CONFIGS[kind]
    if isinstance(config, cls):
        return config
    return msgspec.convert(config, cls)


def problems(config: ChannelConfig) -> list[tuple[str, str]]:
    """(field, reason) for what the struct types cannot say: URLs, addresses, headers."""
    found = []
    for name in URL_FIELDS:
        value = getattr(config, name, None)
        if value is not None and (reason := url_problem(value)):
            found.append((name, reason))
    if isinstance(config, EmailConfig):
        found.extend(_email_problems(config))
    if isinstance(config, WebhookConfig):
        found.extend(_header_problems(config.headers))
    return found


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


def _email_problems(config: EmailConfig) -> list[tuple[str, str]]:
    addresses = [("from_addr", config.from_addr)]
    addresses += [(f"to_addrs[{i}]", a) for i, a in enumerate(config.to_addrs)]
    found = [(f, "is not an email address") for f, a in addresses if not _EMAIL.match(a)]
    if any(c.isspace() for c in config.host):
        found.append(("host", "must be a host name or address"))
    return found


def _header_problems(headers: dict[str, str]) -> list[tuple[str, str]]:
    for name, value in headers.items():
        if not _HEADER_NAME.match(name):
            return [("headers", f"{name!r} is not a valid header name")]
        if has_controls(value):
            return [("headers", f"the value of {name!r} {CONTROLS_MESSAGE}")]
    return []


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
