"""API keys: generated here, shown once, stored only as a sha256 digest
(services/api/stores/keys.py).

Importable without a running app: the CLI creates keys through `create_api_key`."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from typing import Any

from services.api.stores import keys as store

SCOPES: tuple[str, ...] = ("read", "write", "admin")
KEY_PREFIX = "upm_"
# Enough of the key to recognise it in a list without weakening it.
SHOWN_CHARS = 12


def generate() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def digest(key: str) -> str:
    # A fast hash is enough: keys carry 256 random bits, so there is nothing to brute-force.
    return hashlib.sha256(key.encode()).hexdigest()


async def create_api_key(conn: Any, name: str, scope: str) -> store.Created:
    """Store a new key; `conn` is an asyncpg connection or pool."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    if not name.strip():
        raise ValueError("name must not be empty")
    key, key_id = generate(), str(uuid.uuid4())
    await store.insert_api_key(conn, key_id, name, scope, key[:SHOWN_CHARS], digest(key))
    return store.Created(key_id, key)


async def find(conn: Any, key: str) -> store.ApiKey | None:
    return await store.api_key_by_hash(conn, digest(key))
