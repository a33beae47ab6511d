"""Login with email and password for a bearer token; logout revokes it."""

from __future__ import annotations

import asyncio
import functools
import secrets
from datetime import datetime
from typing import Annotated

import msgspec
from aiohttp import web

from services.api import jsonio, state
from services.api.auth import PRINCIPAL
from services.api.problems import ApiError
from services.api.routing import Route
from services.api.stores import login_throttle, sessions, users
from shared import accounts


class LoginRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(min_length=1, max_length=320)]
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]


class LoginToken(msgspec.Struct, kw_only=True):
    token: str
    expires_at: datetime


def _refused(detail: str) -> ApiError:
    return ApiError(401, "Unauthorized", detail, headers={"WWW-Authenticate": "Bearer"})


@functools.cache
def _dummy_hash() -> str:
    # Verified against when the email is unknown, so both failures cost the same time.
    return accounts.hash_password(secrets.token_urlsafe(16))


def client_address(request: web.Request, proxy_hops: int) -> str:
    """The peer, or with `proxy_hops` trusted proxies in front, the address the
    outermost of them saw (each proxy appends the peer it saw to the header)."""
    if proxy_hops:
        seen = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",")]
        seen = [a for a in seen if a]
        if len(seen) >= proxy_hops:
            return seen[-proxy_hops]
    return request.remote or "unknown"


async def _throttle(request: web.Request) -> None:
    s = state.of(request).settings
    address = client_address(request, s.trusted_proxy_hops)
    wait = await login_throttle.admit(
        state.of(request).pool, address, s.login_attempts_max, s.login_window_s
    )
    if wait is not None:
        raise ApiError(
            429,
            "Too Many Requests",
            f"too many login attempts from this address; retry in {wait} s",
            headers={"Retry-After": str(wait)},
        )


async def _verify(account: users.Account | None, password: str) -> bool:
    dummy = _dummy_hash()
    stored = account.password_hash if account else dummy
    # argon2 is deliberately slow: off the event loop, other requests keep flowing.
    ok = await asyncio.to_thread(accounts.verify_password, stored, password)
    return ok and account is not None


async def login(request: web.Request) -> web.Response:
    await _throttle(request)
    raw = await request.read()
    if not raw.strip():
        raise _refused('send {"email", "password"} as JSON')
    body = jsonio.decode(raw, LoginRequest)
    st = state.of(request)
    account = await users.login_account(st.pool, body.email)
    if not await _verify(account, body.password):
        raise _refused("the email or the password is wrong")
    started = await sessions.create(st.pool, account.id, st.settings.session_ttl_s)
    reply = jsonio.reply(LoginToken(token=started.token, expires_at=started.expires_at))
    # A response carrying a credential must not sit in any cache.
    reply.headers["Cache-Control"] = "no-store"
    return reply


async def logout(request: web.Request) -> web.Response:
    principal = request[PRINCIPAL]
    if not isinstance(principal, sessions.LoginSession):
        raise ApiError(
            400,
            "Not a login token",
            "logout ends login sessions; revoke an API key with DELETE /api/v1/api-keys/{id}",
        )
    await sessions.revoke(state.of(request).pool, principal.id)
    return jsonio.no_content()


ROUTES = [
    Route(
        "POST",
        "/api/v1/auth/login",
        login,
        "Exchange email and password for a bearer token (rate-limited per client address).",
        operation="login",
        body=LoginRequest,
        response=LoginToken,
    ),
    Route(
        "POST",
        "/api/v1/auth/logout",
        logout,
        "Revoke the login token this request carries.",
        operation="logout",
        scope="read",
        status=204,
    ),
]
