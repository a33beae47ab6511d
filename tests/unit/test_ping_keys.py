"""Ping keys and push tokens share a path segment: the key's shape tells them apart,
in the router and in the OpenAPI document."""

from __future__ import annotations

import secrets

from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from services.api import openapi, ping_keys, routes
from services.api.routes import push
from services.api.routing import install


def test_a_ping_key_has_the_recognisable_shape_and_a_push_token_never_has_it():
    assert all(ping_keys.looks_like_key(ping_keys.generate()) for _ in range(100))
    tokens = [secrets.token_urlsafe(24) for _ in range(1000)] + ["upk_" + "a" * 28]
    assert not any(ping_keys.looks_like_key(t) for t in tokens)
    assert not ping_keys.looks_like_key(ping_keys.generate() + "x")


async def _resolved(app: web.Application, method: str, path: str) -> str:
    match = await app.router.resolve(make_mocked_request(method, path, app=app))
    return match.route.resource.canonical


async def test_the_router_sends_a_ping_key_to_the_slug_routes_and_a_token_to_its_own():
    app = web.Application()
    install(app, push.ROUTES)
    key, token = ping_keys.generate(), secrets.token_urlsafe(24)
    for method in ("GET", "POST"):
        assert await _resolved(app, method, f"/api/v1/push/{key}/backup") == (
            "/api/v1/push/{ping_key}/{slug}"
        )
        assert await _resolved(app, method, f"/api/v1/push/{key}/backup/start") == (
            "/api/v1/push/{ping_key}/{slug}/{signal}"
        )
        assert await _resolved(app, method, f"/api/v1/push/{token}/start") == (
            "/api/v1/push/{token}/{signal}"
        )


def test_the_document_states_the_ping_key_pattern():
    doc = openapi.build(routes.ALL)
    [key] = [
        p
        for p in doc["paths"]["/api/v1/push/{ping_key}/{slug}"]["post"]["parameters"]
        if p["name"] == "ping_key"
    ]
    assert key["schema"]["pattern"] == f"^{ping_keys.PATTERN}$"
