"""Login tokens: issued for a password, stored hashed, acting with the user's role,
expiring, revocable; attempts limited per client address across api replicas."""

from __future__ import annotations

import contextlib
import hashlib
from datetime import UTC, datetime, timedelta

import msgspec
import pytest
from aiohttp.test_utils import TestClient, TestServer

from services.api import keys
from services.api.app import build_app
from services.api.state import ApiState
from services.api.stores import users as user_store
from tests.integration.conftest import Api, monitor_body

PASSWORD = "correct horse battery"
LOGIN = "/api/v1/auth/login"


@pytest.fixture
async def reader(pool) -> str:
    async with pool.acquire() as conn:
        await user_store.create_user(conn, "Reader@Example.com", PASSWORD, role="read")
    return "reader@example.com"


@contextlib.asynccontextmanager
async def replica(settings, nc, js, pool, ch, **overrides):
    """Another api process on the same databases, with some settings changed."""
    changed = msgspec.structs.replace(settings, **overrides)
    state = ApiState(settings=changed, pool=pool, nc=nc, js=js, ch=ch)
    async with TestClient(TestServer(build_app(state))) as client:
        yield Api(client, "")


async def login(api: Api, email: str, password: str = PASSWORD, **headers):
    body = {"email": email, "password": password}
    async with api.client.post(LOGIN, json=body, headers=headers) as resp:
        return resp.status, await resp.json(), resp.headers


async def test_login_token_reads_with_the_users_role_and_logout_revokes_it(api, pool, reader):
    status, body, headers = await login(api, "  READER@example.com ")

    assert status == 200, body
    assert headers["Cache-Control"] == "no-store"
    token = body["token"]
    expires = datetime.fromisoformat(body["expires_at"])
    assert abs(expires - (datetime.now(UTC) + timedelta(hours=12))) < timedelta(minutes=1)
    stored = await pool.fetchval("SELECT token_hash FROM sessions")
    assert stored == hashlib.sha256(token.encode()).hexdigest() and token not in stored

    assert (await api.call("GET", "/api/v1/monitors", key=token)).status == 200
    denied = await api.call("GET", "/api/v1/api-keys", key=token)
    assert denied.status == 403
    assert denied.body["detail"] == "this needs a key with scope 'admin'; yours has 'read'"
    assert (await api.call("POST", "/api/v1/monitors", monitor_body(), key=token)).status == 403

    assert (await api.call("POST", "/api/v1/auth/logout", key=token)).status == 204
    after = await api.call("GET", "/api/v1/monitors", key=token)
    assert after.status == 401 and after.headers["WWW-Authenticate"] == "Bearer"


async def test_wrong_password_and_unknown_email_get_the_same_401(api, reader):
    wrong = await login(api, reader, "not the password")
    unknown = await login(api, "nobody@example.com")

    assert wrong[0] == unknown[0] == 401
    assert wrong[1] == unknown[1]
    assert wrong[1]["detail"] == "the email or the password is wrong"
    assert unknown[2]["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(("raw", "status"), [(b"", 401), (b"{", 400), (b'{"email": "a@b.c"}', 422)])
async def test_login_without_credentials_is_refused(api, raw, status):
    reply = await api.call("POST", LOGIN, raw=raw, key=None)

    assert reply.status == status
    assert reply.headers["Content-Type"] == "application/problem+json"


async def test_expired_token_is_refused(api, pool, reader):
    _, body, _ = await login(api, reader)
    await pool.execute("UPDATE sessions SET expires_at = now() - interval '1 second'")

    reply = await api.call("GET", "/api/v1/monitors", key=body["token"])

    assert reply.status == 401
    assert reply.body["detail"] == "the login token is unknown, expired or revoked"


async def test_logout_with_an_api_key_is_refused(api, pool):
    _, key = await keys.create_api_key(pool, "script", "read")

    reply = await api.call("POST", "/api/v1/auth/logout", key=key)

    assert reply.status == 400
    assert (await api.call("GET", "/api/v1/monitors", key=key)).status == 200


async def test_attempts_are_limited_per_address_across_replicas(settings, nc, js, pool, ch, reader):
    limits = {"login_attempts_max": 3, "trusted_proxy_hops": 1}
    async with (
        replica(settings, nc, js, pool, ch, **limits) as one,
        replica(settings, nc, js, pool, ch, **limits) as two,
    ):
        alice = {"X-Forwarded-For": "203.0.113.7"}
        assert (await login(one, reader, "wrong", **alice))[0] == 401
        assert (await login(two, reader, "wrong", **alice))[0] == 401
        assert (await login(one, reader, **alice))[0] == 200

        status, body, headers = await login(two, reader, **alice)
        assert status == 429, body
        assert 290 <= int(headers["Retry-After"]) <= 300
        # Another address has its own budget; a forged left-hand entry changes nothing.
        other = {"X-Forwarded-For": "203.0.113.7, 198.51.100.2"}
        assert (await login(one, reader, **other))[0] == 200
        # Attempts older than the window no longer count.
        await pool.execute("UPDATE login_attempts SET at = at - interval '301 seconds'")
        assert (await login(two, reader, **alice))[0] == 200
