"""Telegram Bot API sendMessage, formatted with Telegram's HTML subset."""

from __future__ import annotations

import html

import aiohttp

from shared.channels import http, text
from shared.channels.base import Config, Field, Kind, Secret, SendContext, SendOutcome, Text, Url
from shared.events import Delivery


class TelegramConfig(Config):
    bot_token: Secret
    # A numeric chat id or "@channelname", as Telegram accepts either.
    chat_id: int | Text
    api_url: Url = "https://api.telegram.org"


# Telegram's limit on one message.
MAX_CHARS = 4096


def message(d: Delivery, ctx: SendContext) -> str:
    esc = html.escape
    rows = "\n".join(f"<b>{esc(label)}:</b> {esc(value)}" for label, value in text.facts(d))
    href = esc(text.link(d, ctx), quote=True)
    out = (
        f"<b>{esc(text.title(d))}</b>\n{esc(text.summary(d))}\n\n{rows}\n\n"
        f'<a href="{href}">Open in upmon</a>'
    )
    # Cutting HTML could leave a tag open, which Telegram refuses: fall back to the summary.
    return out if len(out) <= MAX_CHARS else esc(text.clip(text.summary(d), MAX_CHARS))


def build(d: Delivery, config: TelegramConfig, ctx: SendContext) -> http.Request:
    url = f"{config.api_url.rstrip('/')}/bot{config.bot_token}/sendMessage"
    doc = {
        "chat_id": config.chat_id,
        "text": message(d, ctx),
        "parse_mode": "HTML",
        "disable_web_page_preview": True,
    }
    return http.json_request(url, doc)


async def send(
    session: aiohttp.ClientSession, d: Delivery, config: TelegramConfig, ctx: SendContext
) -> SendOutcome:
    return await http.post(session, build(d, config, ctx), ctx)


KIND = Kind(
    name="telegram",
    config=TelegramConfig,
    send=send,
    form=(
        Field("bot_token", "Bot token", "password", True),
        Field("chat_id", "Chat id", "text", True),
    ),
    secrets=frozenset({"bot_token"}),
)
