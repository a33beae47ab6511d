"""Ping keys: one secret a fleet of jobs shares, each job naming its heartbeat monitor
by slug in /push/{ping_key}/{slug}. Shown once, stored only as a sha256 digest, like
API keys; a key pings and does nothing else.

upmon has one account per installation, so a key reaches every heartbeat monitor that
has a slug. Importable without a running app: the CLI manages keys through it too.
"""

from __future__ import annotations

import re
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

import msgspec

from services.api.keys import SHOWN_CHARS, KeyTable, digest
from shared import bounds
from shared.monitors import Monitor

PREFIX = "upk_"
MAX_NAME = 200
_RANDOM_BYTES = 32
# The prefix and the length tell a ping key from a push token (32 characters, any
# letters) in the same path segment, so /push/{token}/{signal} and
# /push/{ping_key}/{slug} never both match one URL.
PATTERN = PREFIX + "[A-Za-z0-9_-]{43}"
_FORMAT = re.compile(PATTERN)


class PingKey(msgspec.Struct, kw_only=True):
    id: str
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


_COLUMNS = "id::text AS id, name, prefix, created_at, last_used_at, revoked_at"
_decode_monitor = msgspec.json.Decoder(Monitor).decode


def generate() -> str:
    return PREFIX + secrets.token_urlsafe(_RANDOM_BYTES)


def looks_like_key(text: str) -> bool:
    return _FORMAT.fullmatch(text) is not None


async def create(conn: Any, name: str) -> tuple[str, str]:
    """Store a new key and return (id, key); `conn` is an asyncpg connection or pool."""
    if not name.strip() or len(name) > MAX_NAME or bounds.has_controls(name):
        raise ValueError(f"name must be 1-{MAX_NAME} characters without control characters")
    key, key_id = generate(), str(uuid.uuid4())
    await conn.execute(
        "INSERT INTO ping_keys (id, name, prefix, key_hash) VALUES ($1, $2, $3, $4)",
        uuid.UUID(key_id),
        name,
        key[:SHOWN_CHARS],
        digest(key),
    )
    return key_id, key


_TABLE = KeyTable("ping_keys", _COLUMNS, PingKey)
get, list_all, revoke = _TABLE.get, _TABLE.list_all, _TABLE.revoke


async def monitor_for(conn: Any, key: str, slug: str) -> Monitor | None:
    """The live heartbeat monitor a live key names by slug. One query for both, so a
    wrong key and a wrong slug answer alike."""
    row = await conn.fetchrow(
        "SELECT k.id, k.last_used_at < now() - $3::interval OR k.last_used_at IS NULL"
        " AS stale, m.doc::text AS doc FROM ping_keys k JOIN monitors m"
        " ON m.deleted_at IS NULL AND m.doc->>'kind' = 'heartbeat'"
        " AND m.doc->'heartbeat'->>'slug' = $2"
        " WHERE k.key_hash = $1 AND k.revoked_at IS NULL",
        digest(key),
        slug,
        _TOUCH_EVERY,
    )
    if row is None:
        return None
    if row["stale"]:
        await conn.execute("UPDATE ping_keys SET last_used_at = now() WHERE id = $1", row["id"])
    return _decode_monitor(row["doc"])


# A fleet pings through one key: recording every use would make its row a hot spot.
_TOUCH_EVERY = timedelta(minutes=1)
