"""API keys and ping keys in Postgres: only their sha256 digests are stored, so every
lookup by key takes the digest (services.api.keys.digest) rather than the key."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, Literal, NamedTuple, TypeVar

import msgspec

from shared.monitors import Monitor

Scope = Literal["read", "write", "admin"]


class Created(NamedTuple):
    id: str
    key: str  # shown once: only its digest is stored


class ApiKey(msgspec.Struct, kw_only=True):
    id: str
    name: str
    scope: Scope
    prefix: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class PingKey(msgspec.Struct, kw_only=True):
    id: str
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


K = TypeVar("K")


@dataclass(frozen=True)
class KeyTable(Generic[K]):
    """The reads and the revocation every table of hashed keys shares."""

    table: str
    columns: str
    struct: type[K]

    async def get(self, conn: Any, key_id: uuid.UUID | str) -> K | None:
        row = await conn.fetchrow(f"SELECT {self.columns} FROM {self.table} WHERE id = $1", key_id)
        return self.struct(**row) if row else None

    async def exists_any(self, conn: Any) -> bool:
        """Whether any key was ever made, revoked ones included."""
        return await conn.fetchval(f"SELECT EXISTS (SELECT FROM {self.table})")

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


_API_COLUMNS = "id::text AS id, name, scope, prefix, created_at, last_used_at, revoked_at"
API_KEYS = KeyTable("api_keys", _API_COLUMNS, ApiKey)
PING_KEYS = KeyTable(
    "ping_keys", "id::text AS id, name, prefix, created_at, last_used_at, revoked_at", PingKey
)
# A fleet pings through one key: recording every use would make its row a hot spot.
PING_TOUCH_EVERY = timedelta(minutes=1)
_decode_monitor = msgspec.json.Decoder(Monitor).decode


async def insert_api_key(
    conn: Any, key_id: str, name: str, scope: str, prefix: str, key_hash: str
) -> None:
    await conn.execute(
        "INSERT INTO api_keys (id, name, scope, prefix, key_hash) VALUES ($1, $2, $3, $4, $5)",
        key_id,
        name,
        scope,
        prefix,
        key_hash,
    )


async def api_key_by_hash(conn: Any, key_hash: str) -> ApiKey | None:
    row = await conn.fetchrow(f"SELECT {_API_COLUMNS} FROM api_keys WHERE key_hash = $1", key_hash)
    return ApiKey(**row) if row else None


async def touch_api_key(conn: Any, key_id: str) -> None:
    await conn.execute("UPDATE api_keys SET last_used_at = now() WHERE id = $1", key_id)


async def insert_ping_key(conn: Any, key_id: str, name: str, prefix: str, key_hash: str) -> None:
    await conn.execute(
        "INSERT INTO ping_keys (id, name, prefix, key_hash) VALUES ($1, $2, $3, $4)",
        uuid.UUID(key_id),
        name,
        prefix,
        key_hash,
    )


async def heartbeat_by_ping_key(conn: Any, key_hash: str, slug: str) -> Monitor | None:
    """The live heartbeat monitor a live key names by slug. One query for both, so a
    wrong key and a wrong slug answer alike."""
    row = await conn.fetchrow(
        "SELECT k.id, k.last_used_at < now() - $3::interval OR k.last_used_at IS NULL"
        " AS stale, m.doc::text AS doc FROM ping_keys k JOIN monitors m"
        " ON m.deleted_at IS NULL AND m.doc->>'kind' = 'heartbeat'"
        " AND m.doc->'heartbeat'->>'slug' = $2"
        " WHERE k.key_hash = $1 AND k.revoked_at IS NULL",
        key_hash,
        slug,
        PING_TOUCH_EVERY,
    )
    if row is None:
        return None
    if row["stale"]:
        await conn.execute("UPDATE ping_keys SET last_used_at = now() WHERE id = $1", row["id"])
    return _decode_monitor(row["doc"])
