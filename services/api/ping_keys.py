"""Ping keys: one secret a fleet of jobs shares, each job naming its heartbeat monitor
by slug in /push/{ping_key}/{slug}. Shown once, stored only as a sha256 digest, like
API keys (services/api/stores/keys.py); a key pings and does nothing else.

upmon has one account per installation, so a key reaches every heartbeat monitor that
has a slug. Importable without a running app: the CLI manages keys through it too.
"""

from __future__ import annotations

import re
import secrets
import uuid
from typing import Any

from services.api.keys import SHOWN_CHARS, digest
from services.api.stores import keys as store
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


def generate() -> str:
    return PREFIX + secrets.token_urlsafe(_RANDOM_BYTES)


def looks_like_key(text: str) -> bool:
    return _FORMAT.fullmatch(text) is not None


async def create(conn: Any, name: str) -> store.Created:
    """Store a new key; `conn` is an asyncpg connection or pool."""
    if not name.strip() or len(name) > MAX_NAME or bounds.has_controls(name):
        raise ValueError(f"name must be 1-{MAX_NAME} characters without control characters")
    key, key_id = generate(), str(uuid.uuid4())
    await store.insert_ping_key(conn, key_id, name, key[:SHOWN_CHARS], digest(key))
    return store.Created(key_id, key)


async def monitor_for(conn: Any, key: str, slug: str) -> Monitor | None:
    """The live heartbeat monitor a live key names by slug; a wrong key and a wrong
    slug answer alike."""
    return await store.heartbeat_by_ping_key(conn, digest(key), slug)
