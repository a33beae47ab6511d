"""Email over SMTP (aiosmtplib): one plain-text message to every address.

SMTP says itself what is worth retrying: 4xx replies are transient, 5xx final.
"""

from __future__ import annotations

import re
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Annotated, Literal

import aiohttp
import aiosmtplib
from msgspec import Meta

from shared.bounds import plain
from shared.channels import text
from shared.channels.base import (
    Address,
    Config,
    Field,
    Kind,
    Secret,
    SendContext,
    SendOutcome,
    Text,
)
from shared.channels.http import shorten
from shared.events import Delivery

_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>.]+$")


class EmailConfig(Config):
    host: Annotated[str, plain(255, 1)]
    port: Annotated[int, Meta(ge=1, le=65535)]
    from_addr: Address
    to_addrs: Annotated[list[Address], Meta(min_length=1, max_length=50)]
    username: Text | None = None
    password: Secret | None = None
    security: Literal["starttls", "tls", "none"] = "starttls"


def build(d: Delivery, config: EmailConfig, ctx: SendContext) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = text.title(d)
    msg["From"] = config.from_addr
    msg["To"] = ", ".join(config.to_addrs)
    msg["Date"] = format_datetime(d.at)
    # The same id on every retry lets mail systems spot a repeat.
    msg["Message-ID"] = f"<{d.delivery_id}@upmon>"
    # RFC 3834: keeps auto-responders from answering an alert.
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Upmon-Delivery"] = d.delivery_id
    msg["X-Upmon-Event"] = d.event
    msg.set_content(text.plain(d, ctx))
    return msg


async def send(
    _session: aiohttp.ClientSession | None, d: Delivery, config: EmailConfig, ctx: SendContext
) -> SendOutcome:
    try:
        refused, _ = await aiosmtplib.send(build(d, config, ctx), **connection(config, ctx))
    except aiosmtplib.SMTPRecipientsRefused as exc:
        # One final refusal among transient ones still makes a retry pointless.
        worst = max(exc.recipients, key=lambda r: r.code)
        return refusal(worst.code, f"{worst.recipient}: {worst.message}")
    except aiosmtplib.SMTPResponseException as exc:
        return refusal(exc.code, exc.message)
    except OSError as exc:
        # Connection refused, dropped or timed out (aiosmtplib's own errors included).
        return SendOutcome(False, error=f"{type(exc).__name__}: {exc}", retryable=True)
    except aiosmtplib.SMTPException as exc:
        # The server lacks what the config asks for (STARTTLS, AUTH): fix the channel.
        return SendOutcome(False, error=f"mail server: {exc}")
    if refused:
        # Sent to the others; a retry would send it to them twice.
        lost = ", ".join(f"{a} ({r.code})" for a, r in refused.items())
        return SendOutcome(True, 250, error=f"some recipients refused: {lost}")
    return SendOutcome(True, 250)


def connection(config: EmailConfig, ctx: SendContext) -> dict:
    login = {}
    if config.username:
        login = {"username": config.username, "password": config.password or ""}
    return {
        "hostname": config.host,
        "port": config.port,
        "use_tls": config.security == "tls",
        # None would upgrade only when offered; "starttls" must not fall back to plain text.
        "start_tls": config.security == "starttls",
        "timeout": ctx.timeout_s,
        **login,
    }


def refusal(code: int, message: str) -> SendOutcome:
    transient = 400 <= code < 500
    error = f"mail server answered {code}: {shorten(message)}"
    return SendOutcome(False, code, error=error, retryable=transient)


def problems(config: EmailConfig) -> list[tuple[str, str]]:
    addresses = [("from_addr", config.from_addr)]
    addresses += [(f"to_addrs[{i}]", a) for i, a in enumerate(config.to_addrs)]
    found = [(f, "is not an email address") for f, a in addresses if not _EMAIL.match(a)]
    if any(c.isspace() for c in config.host):
        found.append(("host", "must be a host name or address"))
    return found


KIND = Kind(
    name="email",
    config=EmailConfig,
    send=send,
    form=(
        Field("host", "SMTP host", "text", True),
        Field("port", "SMTP port", "number", True),
        Field("from_addr", "From", "email", True),
        Field("to_addrs", "To (comma-separated)", "list", True),
        Field("username", "User name"),
        Field("password", "Password", "password"),
    ),
    secrets=frozenset({"password"}),
    problems=problems,
)
