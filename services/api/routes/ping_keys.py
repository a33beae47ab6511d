"""Ping keys: created, listed and revoked through the API. The key is shown once."""

from __future__ import annotations

import uuid

from aiohttp import web

from services.api import jsonio, params, ping_keys, state
from services.api.problems import not_found
from services.api.routing import Route
from services.api.schemas import PingKeyCreate, PingKeyCreated, PingKeyList
from services.api.stores.keys import PING_KEYS


async def create(request: web.Request) -> web.Response:
    body = await jsonio.body(request, PingKeyCreate)
    pool = state.of(request).pool
    made = await ping_keys.create(pool, body.name)
    stored = await PING_KEYS.get(pool, uuid.UUID(made.id))
    shown = PingKeyCreated(
        **{f: getattr(stored, f) for f in stored.__struct_fields__}, key=made.key
    )
    return jsonio.reply(shown, 201)


async def list_keys(request: web.Request) -> web.Response:
    return jsonio.reply(PingKeyList(await PING_KEYS.list_all(state.of(request).pool)))


async def revoke(request: web.Request) -> web.Response:
    key_id = params.path_id(request, "ping key")
    if not await PING_KEYS.revoke(state.of(request).pool, key_id):
        raise not_found("ping key")
    return jsonio.no_content()


ROUTES = [
    Route(
        "POST",
        "/api/v1/ping-keys",
        create,
        "Create a ping key for /push/{ping_key}/{slug}; the response is the only time"
        " the key is shown.",
        operation="createPingKey",
        scope="write",
        body=PingKeyCreate,
        response=PingKeyCreated,
        status=201,
    ),
    Route(
        "GET",
        "/api/v1/ping-keys",
        list_keys,
        "List ping keys (never the key or its hash).",
        operation="listPingKeys",
        scope="read",
        response=PingKeyList,
    ),
    Route(
        "DELETE",
        "/api/v1/ping-keys/{id}",
        revoke,
        "Revoke a ping key; pings with it are refused at once.",
        operation="revokePingKey",
        scope="write",
        status=204,
    ),
]
