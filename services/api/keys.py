"""API keys: generated here, shown once, stored only as a sha256 digest.

Importable without a running app: the CLI creates keys through `create_api_key`.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime
from typing import Any, Literal

import msgspec

Scope = Literal["read", "write", "admin"]
SCOPES: tuple[str, ...] = ("read", "write", "admin")
KEY_PREFIX = "upm_"
# Enough of the key to recognise it in a list without weakening it.
SHOWN_CHARS = 12


class ApiKey(msgspec.Struct, kw_only=True):
    id: str
    name: str
    scope: Scope
    prefix: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


_COLUMNS = "id::text AS id, name, scope, prefix, created_at, last_used_at, revoked_at"


def generate() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def digest(key: str) -> str:
    # A fast hash is enough: keys carry 256 random bits, so there is nothing to brute-force.
    return hashlib.sha256(key.encode()).hexdigest()


async def create_api_key(conn: Any, name: str, scope: str) -> tuple[str, str]:
    """Store a new key and return (id, key); `conn` is an asyncpg connection or pool."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    if not name.strip():
        raise ValueError("name must not be empty")
    key, key_id = generate(), str(uuid.uuid4())
    await conn.execute(
        "INSERT INTO api_keys (id, name, scope, prefix, key_hash) VALUES ($1, $2, $3, $4, $5)",
        key_id,
        name,
        scope,
        key[:SHOWN_CHARS],
        digest(key),
    )
    return key_id, key


async def find(conn: Any, key: str) -> ApiKey | None:
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM api_keys WHERE key_hash = $1", digest(key))
    return ApiKey(**row) if row else None


async def get(conn: Any, key_id: uuid.UUID) -> ApiKey | None:
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM api_keys WHERE id = $1", key_id)
    return ApiKey(**row) if row else None


async def list_all(conn: Any) -> list[ApiKey]:
    rows = await conn.fetch(f"SELECT {_COLUMNS} FROM api_keys ORDER BY created_at, id")
    return [ApiKey(**r) for r in rows]


async def revoke(conn: Any, key_id: uuid.UUID) -> bool:
    """Revoke a key; revoking it again keeps the first revocation time."""
    found = await conn.fetchval(
        "UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING id",
        key_id,
    )
    return found is not None


async def touch(conn: Any, key_id: str) -> None:
    await conn.execute("UPDATE api_keys SET last_used_at = now() WHERE id = $1", key_id)
