"""Users through the real admin API and the real CLI (a subprocess fed on stdin):
roles like key scopes, a disabled or deleted user's tokens refused at the next
request, passwords never taken from a flag, and the last admin kept."""

from __future__ import annotations

import msgspec

from services.api.stores import users as user_store
from shared import accounts
from tests.integration.test_cli import upmon
from tests.integration.test_login import login

PASSWORD = "correct horse battery"


async def _signed_in(api, email: str, role: str) -> tuple[str, str]:
    created = await api.call(
        "POST", "/api/v1/users", {"email": email, "password": PASSWORD, "role": role}
    )
    assert created.status == 201, created.body
    status, body, _ = await login(api, email)
    assert status == 200, body
    return created.body["id"], body["token"]


async def test_admins_create_list_and_change_roles_and_tokens_follow_at_once(api):
    uid, token = await _signed_in(api, "Dev@Example.com", "read")
    listed = (await api.call("GET", "/api/v1/users")).body["items"]
    assert [(u["email"], u["role"], u["disabled"]) for u in listed] == [
        ("dev@example.com", "read", False)
    ]
    assert "password_hash" not in listed[0]
    body = {"name": "m", "kind": "http", "target": "https://e.example/"}
    assert (await api.call("POST", "/api/v1/monitors", body, key=token)).status == 403

    promoted = await api.call("PATCH", f"/api/v1/users/{uid}", {"role": "write"})
    assert promoted.status == 200 and promoted.body["role"] == "write"
    assert (await api.call("POST", "/api/v1/monitors", body, key=token)).status == 201
    assert (await api.call("GET", "/api/v1/users", key=token)).status == 403


async def test_a_disabled_or_deleted_users_token_is_refused_at_the_next_request(api):
    uid, token = await _signed_in(api, "a@example.com", "write")
    other_id, other = await _signed_in(api, "b@example.com", "read")
    assert (await api.call("GET", "/api/v1/monitors", key=token)).status == 200

    disabled = await api.call("PATCH", f"/api/v1/users/{uid}", {"disabled": True})
    assert disabled.status == 200 and disabled.body["disabled"] is True
    assert (await api.call("GET", "/api/v1/monitors", key=token)).status == 401
    assert (await login(api, "a@example.com"))[0] == 401
    await api.call("PATCH", f"/api/v1/users/{uid}", {"disabled": False})
    # Enabling again does not revive the old session: it was revoked.
    assert (await api.call("GET", "/api/v1/monitors", key=token)).status == 401
    assert (await login(api, "a@example.com"))[0] == 200

    assert (await api.call("DELETE", f"/api/v1/users/{other_id}")).status == 204
    assert (await api.call("GET", "/api/v1/monitors", key=other)).status == 401
    assert (await api.call("GET", f"/api/v1/users/{other_id}")).status == 404


async def test_the_last_admin_cannot_be_demoted_disabled_or_deleted(api):
    uid, token = await _signed_in(api, "boss@example.com", "admin")

    for method, body in (("PATCH", {"role": "write"}), ("PATCH", {"disabled": True})):
        refused = await api.call(method, f"/api/v1/users/{uid}", body)
        assert refused.status == 409 and "last admin" in refused.body["detail"]
    assert (await api.call("DELETE", f"/api/v1/users/{uid}")).status == 409

    second, _ = await _signed_in(api, "deputy@example.com", "admin")
    assert (await api.call("PATCH", f"/api/v1/users/{uid}", {"role": "read"})).status == 200
    assert (await api.call("DELETE", f"/api/v1/users/{second}")).status == 409
    assert (await api.call("GET", "/api/v1/monitors", key=token)).status == 200


async def test_passwords_set_by_admins_and_changed_by_their_owner_end_sessions(api):
    uid, token = await _signed_in(api, "p@example.com", "read")

    wrong = await api.call(
        "POST",
        "/api/v1/users/me/password",
        {"current_password": "nope", "password": "another long one"},
        key=token,
    )
    assert wrong.status == 422 and wrong.body["errors"][0]["field"] == "current_password"
    short = await api.call("POST", f"/api/v1/users/{uid}/password", {"password": "short"})
    assert short.status == 422 and short.body["errors"][0]["field"] == "password"
    changed = await api.call(
        "POST",
        "/api/v1/users/me/password",
        {"current_password": PASSWORD, "password": "another long one"},
        key=token,
    )
    assert changed.status == 204
    assert (await api.call("GET", "/api/v1/monitors", key=token)).status == 401
    assert (await login(api, "p@example.com", "another long one"))[0] == 200

    reset = await api.call("POST", f"/api/v1/users/{uid}/password", {"password": PASSWORD + "!"})
    assert reset.status == 204
    assert (await login(api, "p@example.com", PASSWORD + "!"))[0] == 200
    keyed = await api.call(
        "POST", "/api/v1/users/me/password", {"current_password": "x", "password": "y" * 9}
    )
    assert keyed.status == 400


async def test_bad_user_input_names_the_field(api):
    bad_email = await api.call(
        "POST", "/api/v1/users", {"email": "not-an-email", "password": PASSWORD}
    )
    assert bad_email.status == 422 and bad_email.body["errors"][0]["field"] == "email"
    bad_role = await api.call(
        "POST", "/api/v1/users", {"email": "r@example.com", "password": PASSWORD, "role": "root"}
    )
    assert bad_role.status == 422 and bad_role.body["errors"][0]["field"] == "role"
    await _signed_in(api, "dup@example.com", "read")
    dup = await api.call(
        "POST", "/api/v1/users", {"email": "dup@example.com", "password": PASSWORD}
    )
    assert dup.status == 409
    assert (await api.call("PATCH", "/api/v1/users/not-a-uuid", {"role": "read"})).status == 404


async def test_the_cli_manages_users_with_passwords_from_stdin(settings, pool):
    made = upmon(
        settings,
        "user",
        "create",
        "--email",
        "Ops@Example.com",
        "--role",
        "write",
        stdin=PASSWORD + "\n",
    )
    assert made.returncode == 0, made.stderr
    boss = upmon(
        settings, "user", "create-admin", "--email", "boss@example.com", stdin=PASSWORD + "\n"
    )
    assert boss.returncode == 0, boss.stderr

    listed = upmon(settings, "user", "list", "--json")
    users = {u["email"]: u for u in msgspec.json.decode(listed.stdout)}
    assert (
        users["ops@example.com"]["role"] == "write" and users["boss@example.com"]["role"] == "admin"
    )

    assert upmon(settings, "user", "set-role", "ops@example.com", "read").returncode == 0
    assert upmon(settings, "user", "disable", "ops@example.com").returncode == 0
    async with pool.acquire() as conn:
        ops = await user_store.find_user(conn, "ops@example.com")
    assert ops.role == "read" and ops.disabled

    changed = upmon(settings, "user", "passwd", "ops@example.com", stdin="a new password\n")
    assert changed.returncode == 0, changed.stderr
    async with pool.acquire() as conn:
        stored = await conn.fetchval(
            "SELECT password_hash FROM users WHERE email = 'ops@example.com'"
        )
    assert accounts.verify_password(stored, "a new password")

    last = upmon(settings, "user", "delete", "boss@example.com")
    assert last.returncode == 1 and "last admin" in last.stderr
    assert len(last.stderr.strip().splitlines()) == 1 and "Traceback" not in last.stderr
    assert upmon(settings, "user", "delete", "ops@example.com").returncode == 0
    missing = upmon(settings, "user", "disable", "ops@example.com")
    assert missing.returncode == 1 and "no such user" in missing.stderr

    flagged = upmon(settings, "user", "create", "--email", "x@example.com", "--password", "p" * 10)
    assert flagged.returncode == 2 and "unrecognized arguments" in flagged.stderr
