"""Login sessions: a random bearer token, stored only as a sha256 digest.

A session acts as an API key whose scope is its user's role, read afresh on every
request, so a role change, a disabled or a deleted user takes effect at once."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from services.api import keys
from services.api.stores.keys import ApiKey

TOKEN_PREFIX = "ups_"


class LoginSession(ApiKey, kw_only=True):
    """The principal of a request made with a login token; `name` is the user's email."""

    user_id: str
    expires_at: datetime


class Started(NamedTuple):
    token: str  # shown once
    expires_at: datetime


async def create(conn: Any, user_id: uuid.UUID, ttl_s: float) -> Started:
    """Start a session."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = datetime.now(UTC) + timedelta(seconds=ttl_s)
    await conn.execute(
        "INSERT INTO sessions (id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)",
        uuid.uuid4(),
        user_id,
        keys.digest(token),
        expires_at,
    )
    # Logins are rare next to requests: a good moment to drop sessions nobody can use.
    await conn.execute("DELETE FROM sessions WHERE expires_at < now()")
    return Started(token, expires_at)


async def find(conn: Any, token: str) -> LoginSession | None:
    row = await conn.fetchrow(
        "SELECT s.id::text AS id, u.email AS name, u.role AS scope, s.created_at,"
        " s.expires_at, u.id::text AS user_id"
        " FROM sessions s JOIN users u ON u.id = s.user_id"
        " WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()"
        " AND u.disabled_at IS NULL",
        keys.digest(token),
    )
    return LoginSession(**row, prefix=token[: keys.SHOWN_CHARS]) if row else None


async def revoke(conn: Any, session_id: str) -> None:
    await conn.execute(
        "UPDATE sessions SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1",
        uuid.UUID(session_id),
    )


async def revoke_all_of(conn: Any, user_id: uuid.UUID) -> None:
    await conn.execute(
        "UPDATE sessions SET revoked_at = coalesce(revoked_at, now()) WHERE user_id = $1",
        user_id,
    )
