"""Users: argon2-hashed passwords. Used by the CLI (create-admin) and the API (login)."""

from __future__ import annotations

import uuid

import asyncpg
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
    conn: asyncpg.Connection, email: str, password: str, name: str = "", role: str = "admin"
) -> str:
    email = check_email(email)
    user_id = str(uuid.uuid4())
    try:
        await conn.execute(
            "INSERT INTO users (id, email, name, password_hash, role) VALUES ($1, $2, $3, $4, $5)",
            uuid.UUID(user_id),
            email,
            name,
            hash_password(password),
            role,
        )
    except asyncpg.UniqueViolationError:
        raise AccountError(f"a user with email {email} exists already") from None
    return user_id
