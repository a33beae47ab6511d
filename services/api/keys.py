"""API keys: generated here, shown once, stored only as a sha256 digest.

Importable without a running app: the CLI creates keys through `create_api_key`.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

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


K = TypeVar("K")


@dataclass(frozen=True)
class KeyTable(Generic[K]):
    """The reads and the revocation every table of hashed keys shares (API keys, ping keys)."""

    table: str
    columns: str
    struct: type[K]

    async def get(self, conn: Any, key_id: uuid.UUID) -> K | None:
        row = await conn.fetchrow(f"SELECT {self.columns} FROM {self.table} WHERE id = $1", key_id)
        return self.struct(**row) if row else None

    async def list_all(self, conn: Any) -> list[K]:
        query = f"SELECT {self.columns} FROM {self.table} ORDER BY created_at, id"
        return [self.struct(**r) for r in await conn.fetch(query)]

    async def revoke(self, conn: Any, key_id: uuid.UUID) -> bool:
        """Revoke a key; revoking it again keeps the first revocation time."""
        found = await conn.fetchval(
            f"UPDATE {self.table} SET revoked_at = coalesce(revoked_at, now())"
            " WHERE id = $1 RETURNING id",
            key_id,
        )
        return found is not None


_TABLE = KeyTable("api_keys", _COLUMNS, ApiKey)
get, list_all, revoke = _TABLE.get, _TABLE.list_all, _TABLE.revoke


async def touch(conn: Any, key_id: str) -> None:
    await conn.execute("UPDATE api_keys SET last_used_at = now() WHERE id = $1", key_id)
