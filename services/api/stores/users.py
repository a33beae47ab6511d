"""Users in Postgres: every query on `users`, for the admin API, login and the CLI's
`upmon user ...`. The rules they apply (password hashing, email and role checks, who
counts as the last admin) are shared.accounts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

import asyncpg
import msgspec

from services.api.stores import sessions
from shared.accounts import (
    AccountError,
    NotFound,
    check_email,
    check_role,
    hash_password,
    loses_admin,
)

# Serialises changes that could leave no admin: two admins demoting each other at once
# must not both succeed.
_ADMINS_LOCK = 0x75706D6F6E0A


class User(msgspec.Struct, kw_only=True):
    id: str
    email: str
    name: str
    role: Literal["read", "write", "admin"]
    disabled: bool
    created_at: datetime


class Account(msgspec.Struct, kw_only=True):
    """What a login checks: an enabled user's password hash and role."""

    id: uuid.UUID
    email: str
    role: str
    password_hash: str


_USER = "id::text AS id, email, name, role, disabled_at IS NOT NULL AS disabled, created_at"


async def create_user(
    conn: Any,
    email: str,
    password: str,
    name: str = "",
    role: str = "admin",
    password_hash: str | None = None,
) -> str:
    """`password_hash`, when given, was made by hash_password off the event loop."""
    email = check_email(email)
    check_role(role)
    user_id = str(uuid.uuid4())
    try:
        await conn.execute(
            "INSERT INTO users (id, email, name, password_hash, role) VALUES ($1, $2, $3, $4, $5)",
            uuid.UUID(user_id),
            email,
            name,
            password_hash or hash_password(password),
            role,
        )
    except asyncpg.UniqueViolationError:
        raise AccountError(f"a user with email {email} exists already") from None
    return user_id


async def list_users(conn: Any) -> list[User]:
    rows = await conn.fetch(f"SELECT {_USER} FROM users ORDER BY created_at, id")
    return [User(**r) for r in rows]


async def find_user(conn: Any, ref: str) -> User:
    """A user by id or by email."""
    try:
        row = await conn.fetchrow(f"SELECT {_USER} FROM users WHERE id = $1", uuid.UUID(ref))
    except ValueError:
        row = await conn.fetchrow(
            f"SELECT {_USER} FROM users WHERE email = $1", ref.strip().lower()
        )
    if row is None:
        raise NotFound(f"no such user: {ref}")
    return User(**row)


async def login_account(conn: Any, email: str) -> Account | None:
    row = await conn.fetchrow(
        "SELECT id, email, role, password_hash FROM users WHERE email = $1 AND disabled_at IS NULL",
        email.strip().lower(),
    )
    return Account(**row) if row else None


async def password_hash(conn: Any, user_id: str) -> str | None:
    return await conn.fetchval("SELECT password_hash FROM users WHERE id = $1", uuid.UUID(user_id))


async def _keep_an_admin(conn, user: User, role: str | None, disabled: bool | None) -> None:
    """Refuse a change that would leave no enabled admin."""
    await conn.execute("SELECT pg_advisory_xact_lock($1)", _ADMINS_LOCK)
    if not loses_admin(user.role, user.disabled, role, disabled):
        return
    others = await conn.fetchval(
        "SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id <> $1",
        uuid.UUID(user.id),
    )
    if not others:
        raise AccountError(f"{user.email} is the last admin: make another admin first")


async def update_user(
    conn: Any, ref: str, role: str | None = None, disabled: bool | None = None
) -> User:
    """Change role and/or disabled. Disabling ends the user's login sessions at once."""
    async with conn.transaction():
        user = await find_user(conn, ref)
        if role is not None:
            check_role(role)
        if role is None and disabled is None:
            return user
        await _keep_an_admin(conn, user, role, disabled)
        await conn.execute(
            "UPDATE users SET role = coalesce($2, role),"
            " disabled_at = CASE WHEN $3::boolean IS NULL THEN disabled_at"
            " WHEN $3 THEN coalesce(disabled_at, now()) ELSE NULL END WHERE id = $1",
            uuid.UUID(user.id),
            role,
            disabled,
        )
        if disabled:
            await sessions.revoke_all_of(conn, uuid.UUID(user.id))
        return await find_user(conn, user.id)


async def delete_user(conn: Any, ref: str) -> User:
    """Delete a user; their sessions go with them (ON DELETE CASCADE)."""
    async with conn.transaction():
        user = await find_user(conn, ref)
        await _keep_an_admin(conn, user, None, None)
        await conn.execute("DELETE FROM users WHERE id = $1", uuid.UUID(user.id))
        return user


async def set_password(
    conn: Any, ref: str, password: str, password_hash: str | None = None
) -> User:
    """A new password; the user's sessions end, so a stolen one stops working."""
    hashed = password_hash or hash_password(password)
    async with conn.transaction():
        user = await find_user(conn, ref)
        await conn.execute(
            "UPDATE users SET password_hash = $2 WHERE id = $1", uuid.UUID(user.id), hashed
        )
        await sessions.revoke_all_of(conn, uuid.UUID(user.id))
        return user
