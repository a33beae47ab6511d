"""Matrix: an m.room.message sent with the Client-Server API, as plain text and as
HTML. The delivery id is the transaction id, so a retried send is not posted twice."""

from __future__ import annotations

import html
from typing import Annotated
from urllib.parse import quote

import aiohttp
from msgspec import Meta

from shared.channels import http, text
from shared.channels.base import Config, Field, Kind, Secret, SendContext, SendOutcome, Url
from shared.events import Delivery

# A room id (!opaque:server) or an alias (#name:server); the server part may hold a port.
RoomId = Annotated[str, Meta(pattern=r"^[!#][^\s:]{1,200}:[A-Za-z0-9.\-\[\]:]{1,255}(?![\s\S])")]


class MatrixConfig(Config):
    homeserver: Url
    access_token: Secret
    room_id: RoomId


def content(d: Delivery, ctx: SendContext) -> dict:
    esc = html.escape
    link = text.link(d, ctx)
    rows = "".join(f"<li><b>{esc(k)}:</b> {esc(v)}</li>" for k, v in text.facts(d))
    formatted = (
        f"<p><b>{esc(text.title(d))}</b><br>{esc(text.summary(d))}</p><ul>{rows}</ul>"
        f'<p><a href="{esc(link, quote=True)}">Open in upmon</a></p>'
    )
    return {
        "msgtype": "m.text",
        "body": f"{text.title(d)}\n{text.plain(d, ctx)}",
        "format": "org.matrix.custom.html",
        "formatted_body": formatted,
    }


def build(d: Delivery, config: MatrixConfig, ctx: SendContext) -> http.Request:
    room = quote(config.room_id, safe="")
    url = (
        f"{config.homeserver.rstrip('/')}/_matrix/client/v3/rooms/{room}"
        f"/send/m.room.message/{quote(d.delivery_id, safe='')}"
    )
    auth = {"Authorization": f"Bearer {config.access_token}"}
    return http.json_request(url, content(d, ctx), auth, method="PUT")


async def send(
    session: aiohttp.ClientSession, d: Delivery, config: MatrixConfig, ctx: SendContext
) -> SendOutcome:
    return await http.post(session, build(d, config, ctx), ctx)


KIND = Kind(
    name="matrix",
    config=MatrixConfig,
    send=send,
    form=(
        Field("homeserver", "Homeserver URL", "url", True),
        Field("access_token", "Access token", "password", True),
        Field("room_id", "Room id or alias", "text", True),
    ),
    secrets=frozenset({"access_token"}),
)
