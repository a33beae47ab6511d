"""Bearer-key authentication and scope checks for /api/v1/*."""

from __future__ import annotations

import re
import time

from aiohttp import web

from services.api import keys, state
from services.api.problems import ApiError
from services.api.routing import route_of
from services.api.stores import keys as key_store
from services.api.stores import sessions
from services.api.stores.keys import ApiKey

API_PREFIX = "/api/v1/"
RANK = {"read": 0, "write": 1, "admin": 2}
# last_used_at is for humans auditing keys; minute precision spares a write per request.
TOUCH_EVERY_S = 60.0
PRINCIPAL = web.RequestKey("principal", ApiKey)


def _unauthorized(detail: str) -> ApiError:
    return ApiError(401, "Unauthorized", detail, headers={"WWW-Authenticate": "Bearer"})


# Keys and login tokens are printable ASCII; anything else is refused unread and
# never repeated, since it may be a credential pasted with a stray line break.
_TOKEN = re.compile(r"[!-~]{1,512}")


def _bearer(request: web.Request) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip(" ")
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized("send an API key as 'Authorization: Bearer <key>'")
    if not _TOKEN.fullmatch(token):
        raise _unauthorized("the bearer token holds characters no key or login token has")
    return token


async def authenticate(request: web.Request) -> ApiKey:
    token = _bearer(request)
    st = state.of(request)
    if token.startswith(sessions.TOKEN_PREFIX):
        session = await sessions.find(st.pool, token)
        if session is None:
            raise _unauthorized("the login token is unknown, expired or revoked")
        return session
    key = await keys.find(st.pool, token) if token.startswith(keys.KEY_PREFIX) else None
    if key is None or key.revoked_at is not None:
        raise _unauthorized("the API key is unknown or revoked")
    now = time.monotonic()
    if now - st.key_touches.get(key.id, -TOUCH_EVERY_S) >= TOUCH_EVERY_S:
        st.key_touches[key.id] = now
        await key_store.touch_api_key(st.pool, key.id)
    return key


@web.middleware
async def auth_middleware(request: web.Request, handler) -> web.StreamResponse:
    if not request.path.startswith(API_PREFIX):
        return await handler(request)
    route = route_of(request)
    # Unknown /api/v1 paths still need credentials, so probing reveals nothing.
    needed = route.scope if route else "read"
    if needed is None:
        return await handler(request)
    key = await authenticate(request)
    if RANK[key.scope] < RANK[needed]:
        raise ApiError(
            403, "Forbidden", f"this needs a key with scope '{needed}'; yours has '{key.scope}'"
        )
    request[PRINCIPAL] = key
    return await handler(request)
