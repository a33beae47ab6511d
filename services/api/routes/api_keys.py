"""API keys: created, listed and revoked by admins. The key is shown once."""

from __future__ import annotations

from aiohttp import web

from services.api import jsonio, keys, params, state
from services.api.problems import not_found
from services.api.routing import Route
from services.api.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyList
from services.api.stores.keys import API_KEYS


async def create(request: web.Request) -> web.Response:
    body = await jsonio.body(request, ApiKeyCreate)
    pool = state.of(request).pool
    made = await keys.create_api_key(pool, body.name, body.scope)
    stored = await API_KEYS.get(pool, made.id)
    shown = ApiKeyCreated(**{f: getattr(stored, f) for f in stored.__struct_fields__}, key=made.key)
    return jsonio.reply(shown, 201)


async def list_keys(request: web.Request) -> web.Response:
    return jsonio.reply(ApiKeyList(await API_KEYS.list_all(state.of(request).pool)))


async def revoke(request: web.Request) -> web.Response:
    key_id = params.path_id(request, "API key")
    if not await API_KEYS.revoke(state.of(request).pool, key_id):
        raise not_found("API key")
    return jsonio.no_content()


ROUTES = [
    Route(
        "POST",
        "/api/v1/api-keys",
        create,
        "Create an API key; the response is the only time the key is shown.",
        operation="createApiKey",
        scope="admin",
        body=ApiKeyCreate,
        response=ApiKeyCreated,
        status=201,
    ),
    Route(
        "GET",
        "/api/v1/api-keys",
        list_keys,
        "List API keys (never the key or its hash).",
        operation="listApiKeys",
        scope="admin",
        response=ApiKeyList,
    ),
    Route(
        "DELETE",
        "/api/v1/api-keys/{id}",
        revoke,
        "Revoke an API key; it stops working at once.",
        operation="revokeApiKey",
        scope="admin",
        status=204,
    ),
]
