"""Users: argon2-hashed passwords and a role (read < write < admin, like key scopes).
Used by the CLI (`upmon user ...`) and the API (login, the admin routes for users)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

import asyncpg
import msgspec
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD = 8
_hasher = PasswordHasher()


class AccountError(ValueError):
    pass


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password must have at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_email(email: str) -> str:
    email = email.strip()
    local, at, domain = email.partition("@")
    if not (local and at and "." in domain) or any(c.isspace() for c in email):
        raise AccountError(f"not an email address: {email!r}")
    return email.lower()


async def create_user(
    conn: asyncpg.Connection,
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


# -- managing users (the CLI's `upmon user ...` and the admin API share these) ---------

ROLES = ("read", "write", "admin")
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


_USER = "id::text AS id, email, name, role, disabled_at IS NOT NULL AS disabled, created_at"


class NotFound(AccountError):
    pass


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    return role


async def list_users(conn) -> list[User]:
    rows = await conn.fetch(f"SELECT {_USER} FROM users ORDER BY created_at, id")
    return [User(**r) for r in rows]


async def find_user(conn, ref: str) -> User:
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


async def _keep_an_admin(conn, user: User, role: str | None, disabled: bool | None) -> None:
    """Refuse a change that would leave no enabled admin."""
    await conn.execute("SELECT pg_advisory_xact_lock($1)", _ADMINS_LOCK)
    loses_admin = (
        user.role == "admin"
        and not user.disabled
        and (
            (role is not None and role != "admin")
            or disabled is True
            or (role is None and disabled is None)
        )
    )
    if not loses_admin:
        return
    others = await conn.fetchval(
        "SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id <> $1",
        uuid.UUID(user.id),
    )
    if not others:
        raise AccountError(f"{user.email} is the last admin: make another admin first")


async def update_user(
    conn, ref: str, role: str | None = None, disabled: bool | None = None
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
            await conn.execute(
                "UPDATE sessions SET revoked_at = coalesce(revoked_at, now()) WHERE user_id = $1",
                uuid.UUID(user.id),
            )
        return await find_user(conn, user.id)


async def delete_user(conn, ref: str) -> User:
    """Delete a user; their sessions go with them (ON DELETE CASCADE)."""
    async with conn.transaction():
        user = await find_user(conn, ref)
        await _keep_an_admin(conn, user, None, None)
        await conn.execute("DELETE FROM users WHERE id = $1", uuid.UUID(user.id))
        return user


async def set_password(conn, ref: str, password: str, password_hash: str | None = None) -> User:
    """A new password; the user's sessions end, so a stolen one stops working."""
    hashed = password_hash or hash_password(password)
    async with conn.transaction():
        user = await find_user(conn, ref)
        await conn.execute(
            "UPDATE users SET password_hash = $2 WHERE id = $1", uuid.UUID(user.id), hashed
        )
        await conn.execute(
            "UPDATE sessions SET revoked_at = coalesce(revoked_at, now()) WHERE user_id = $1",
            uuid.UUID(user.id),
        )
        return user
