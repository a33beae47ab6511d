"""The rules of user accounts: argon2-hashed passwords, email and role checks, and who
counts as the last admin. Roles rank read < write < admin, like key scopes. The users
table and its queries are the api's (services/api/stores/users.py)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD = 8
ROLES = ("read", "write", "admin")
_hasher = PasswordHasher()


class AccountError(ValueError):
    pass


class NotFound(AccountError):
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


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    return role


def loses_admin(role: str, disabled: bool, new_role: str | None, disable: bool | None) -> bool:
    """Whether a change takes an enabled admin away; both None means a deletion."""
    if role != "admin" or disabled:
        return False
    return (
        (new_role is not None and new_role != "admin")
        or disable is True
        or (new_role is None and disable is None)
    )
