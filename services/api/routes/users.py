"""Users, for admins: list, create, change role, disable, delete, set a password.
Any signed-in user changes their own password at /users/me/password.

A disabled or deleted user's login tokens stop at the next request (sessions are
checked against the user on every request, and revoked as well). The last
enabled admin cannot be demoted, disabled or deleted."""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

import msgspec
from aiohttp import web

from services.api import jsonio, params, state
from services.api.auth import PRINCIPAL
from services.api.problems import ApiError, invalid_field, not_found
from services.api.routing import Route
from services.api.stores import users as store
from services.api.stores.sessions import LoginSession
from services.api.stores.users import User
from shared import accounts

Password = Annotated[str, msgspec.Meta(min_length=accounts.MIN_PASSWORD, max_length=1024)]


class UserCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(min_length=3, max_length=320)]
    password: Password
    name: Annotated[str, msgspec.Meta(max_length=200)] = ""
    role: Literal["read", "write", "admin"] = "read"


class UserPatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    role: Literal["read", "write", "admin"] | None = None
    disabled: bool | None = None


class PasswordSet(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    password: Password


class OwnPasswordChange(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    current_password: Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]
    password: Password


class UserList(msgspec.Struct):
    items: list[User]


def _conflict(exc: accounts.AccountError) -> ApiError:
    return ApiError(409, "Conflict", str(exc))


async def _hash(password: str) -> str:
    # argon2 is slow on purpose: off the event loop, other requests keep flowing.
    return await asyncio.to_thread(accounts.hash_password, password)


def _user_ref(request: web.Request) -> str:
    return str(params.path_id(request, "user"))


async def list_users(request: web.Request) -> web.Response:
    return jsonio.reply(UserList(await store.list_users(state.of(request).pool)))


async def create(request: web.Request) -> web.Response:
    body = await jsonio.body(request, UserCreate)
    try:
        email = accounts.check_email(body.email)
    except accounts.AccountError as exc:
        raise invalid_field("email", str(exc)) from None
    pool = state.of(request).pool
    hashed = await _hash(body.password)
    try:
        user_id = await store.create_user(
            pool, email, body.password, body.name, body.role, password_hash=hashed
        )
    except accounts.AccountError as exc:
        raise _conflict(exc) from None
    return jsonio.reply(await store.find_user(pool, user_id), 201)


async def get_user(request: web.Request) -> web.Response:
    try:
        return jsonio.reply(await store.find_user(state.of(request).pool, _user_ref(request)))
    except accounts.NotFound:
        raise not_found("user") from None


async def patch_user(request: web.Request) -> web.Response:
    body = await jsonio.body(request, UserPatch)
    ref = _user_ref(request)
    async with state.of(request).pool.acquire() as conn:
        try:
            user = await store.update_user(conn, ref, role=body.role, disabled=body.disabled)
        except accounts.NotFound:
            raise not_found("user") from None
        except accounts.AccountError as exc:
            raise _conflict(exc) from None
    return jsonio.reply(user)


async def delete_user(request: web.Request) -> web.Response:
    ref = _user_ref(request)
    async with state.of(request).pool.acquire() as conn:
        try:
            await store.delete_user(conn, ref)
        except accounts.NotFound:
            raise not_found("user") from None
        except accounts.AccountError as exc:
            raise _conflict(exc) from None
    return jsonio.no_content()


async def set_password(request: web.Request) -> web.Response:
    body = await jsonio.body(request, PasswordSet)
    ref = _user_ref(request)
    hashed = await _hash(body.password)
    async with state.of(request).pool.acquire() as conn:
        try:
            await store.set_password(conn, ref, body.password, password_hash=hashed)
        except accounts.NotFound:
            raise not_found("user") from None
    return jsonio.no_content()


async def change_own_password(request: web.Request) -> web.Response:
    principal = request[PRINCIPAL]
    if not isinstance(principal, LoginSession):
        raise ApiError(
            400, "Not a login token", "an API key belongs to no user: sign in to change a password"
        )
    body = await jsonio.body(request, OwnPasswordChange)
    pool = state.of(request).pool
    stored = await store.password_hash(pool, principal.user_id)
    ok = stored and await asyncio.to_thread(accounts.verify_password, stored, body.current_password)
    if not ok:
        raise invalid_field("current_password", "is wrong")
    hashed = await _hash(body.password)
    async with pool.acquire() as conn:
        await store.set_password(conn, principal.user_id, body.password, password_hash=hashed)
    return jsonio.no_content()


ROUTES = [
    Route(
        "POST",
        "/api/v1/users/me/password",
        change_own_password,
        "Change your own password (login tokens only); every session of yours ends.",
        operation="updateOwnPassword",
        scope="read",
        body=OwnPasswordChange,
        status=204,
    ),
    Route(
        "GET",
        "/api/v1/users",
        list_users,
        "List users.",
        operation="listUsers",
        scope="admin",
        response=UserList,
    ),
    Route(
        "POST",
        "/api/v1/users",
        create,
        "Create a user with a role (read < write < admin, like API key scopes).",
        operation="createUser",
        scope="admin",
        body=UserCreate,
        response=User,
        status=201,
    ),
    Route(
        "GET",
        "/api/v1/users/{id}",
        get_user,
        "Get a user.",
        operation="getUser",
        scope="admin",
        response=User,
    ),
    Route(
        "PATCH",
        "/api/v1/users/{id}",
        patch_user,
        "Change a user's role or disable it; a disabled user's tokens stop at once."
        " The last enabled admin cannot be demoted or disabled (409).",
        operation="updateUser",
        scope="admin",
        body=UserPatch,
        response=User,
    ),
    Route(
        "DELETE",
        "/api/v1/users/{id}",
        delete_user,
        "Delete a user and its sessions; never the last enabled admin (409).",
        operation="deleteUser",
        scope="admin",
        status=204,
    ),
    Route(
        "POST",
        "/api/v1/users/{id}/password",
        set_password,
        "Set a user's password; their sessions end.",
        operation="updateUserPassword",
        scope="admin",
        body=PasswordSet,
        status=204,
    ),
]
