"""Notification channels. Reads mask every secret in `config`."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec
from aiohttp import web

from services.api import channel_config, cursor, jsonio, params, state
from services.api.problems import not_found
from services.api.routing import Route
from services.api.schemas import ChannelCreate, ChannelList, ChannelView
from services.api.stores import channels as store


def _shown(channel: ChannelView) -> ChannelView:
    return msgspec.structs.replace(channel, config=channel_config.masked(channel.config))


async def create(request: web.Request) -> web.Response:
    body = await jsonio.body(request, ChannelCreate)
    config = channel_config.parse(body.kind, body.config)
    channel = await store.insert(state.of(request).pool, body.name, body.kind, config)
    return jsonio.reply(_shown(channel), 201)


async def list_channels(request: web.Request) -> web.Response:
    items, last = await store.page(
        state.of(request).pool,
        params.limit(request),
        cursor.decode(params.text(request, "cursor"), tuple[datetime, uuid.UUID]),
    )
    return jsonio.reply(
        ChannelList([_shown(c) for c in items], cursor.encode(*last) if last else None)
    )


async def get_channel(request: web.Request) -> web.Response:
    channel = await store.get(state.of(request).pool, params.path_id(request, "channel"))
    if channel is None:
        raise not_found("channel")
    return jsonio.reply(_shown(channel))


async def delete_channel(request: web.Request) -> web.Response:
    if not await store.soft_delete(state.of(request).pool, params.path_id(request, "channel")):
        raise not_found("channel")
    return jsonio.no_content()


ROUTES = [
    Route(
        "POST",
        "/api/v1/channels",
        create,
        "Create a notification channel (this version supports kind `webhook`).",
        scope="write",
        body=ChannelCreate,
        response=ChannelView,
        status=201,
    ),
    Route(
        "GET",
        "/api/v1/channels",
        list_channels,
        "List channels; secrets are masked.",
        scope="read",
        response=ChannelList,
        query=(
            params.LIMIT,
            params.CURSOR,
        ),
    ),
    Route(
        "GET",
        "/api/v1/channels/{id}",
        get_channel,
        "Get a channel; secrets are masked.",
        scope="read",
        response=ChannelView,
    ),
    Route(
        "DELETE",
        "/api/v1/channels/{id}",
        delete_channel,
        "Delete a channel.",
        scope="write",
        status=204,
    ),
]
