"""postgres checks against the session's real Postgres: trusted and password logins, a
wrong password, TLS through a front with a certificate made for the run, and the
failures a monitor must tell apart."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import msgspec
import pytest
import uvloop

from services.executor.main import run_check
from shared import egress
from shared.events import CheckDue, utcnow
from shared.kinds.postgres import PostgresOptions
from shared.monitors import Monitor
from shared.probes import Checker, Outcome
from shared.sealing import MASK, Keyring
from tests.integration.servers.certs import TestCA
from tests.integration.servers.postgres import Role, password_role, tls_front


def monitor(target: str, timeout_s: float = 3.0, **spec) -> Monitor:
    at = datetime.now(UTC)
    return Monitor(
        id="m1",
        name="postgres target",
        kind="postgres",
        target=target,
        timeout_s=timeout_s,
        postgres=PostgresOptions(**spec),
        created_at=at,
        updated_at=at,
    )


@pytest.fixture(scope="module")
def admin_dsn(infra) -> str:
    return infra.pg_admin_dsn()


@pytest.fixture(scope="module")
def pg_port(admin_dsn: str) -> int:
    return urlsplit(admin_dsn).port or 5432


@pytest.fixture(scope="module")
async def role(admin_dsn: str) -> AsyncIterator[Role]:
    async with password_role(admin_dsn) as made:
        yield made


@pytest.fixture(scope="module")
async def checker() -> AsyncIterator[Checker]:
    async with Checker() as c:
        yield c


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return TestCA()


@pytest.fixture(scope="module")
async def trusting(ca: TestCA) -> AsyncIterator[Checker]:
    async with Checker(ssl_context=ca.client_context()) as c:
        yield c


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_a_trusted_login_runs_select_1_and_is_up_with_phases(checker, pg_port):
    outcome = await checker.run(monitor(f"127.0.0.1:{pg_port}"))
    assert (outcome.status, outcome.error_kind, outcome.error) == ("up", None, None)
    phases = outcome.phases
    assert phases.connect_ms is not None and phases.ttfb_ms is not None
    assert phases.dns_ms is None and phases.connect_ms + phases.ttfb_ms <= outcome.latency_ms


async def test_a_password_login_is_up(checker, role):
    spec = {"user": role.user, "password": role.password, "sslmode": "disable"}
    outcome = await checker.run(monitor(f"localhost:{role.port}", **spec))
    assert outcome.status == "up", outcome.error
    assert outcome.phases.dns_ms is not None


async def test_a_wrong_password_is_down_with_auth_and_the_password_is_not_shown(checker, role):
    outcome = await checker.run(
        monitor(f"127.0.0.1:{role.port}", user=role.user, password="not-the-password")
    )
    assert (outcome.status, outcome.error_kind) == ("down", "auth")
    assert outcome.error.startswith(f"login as {role.user} refused: password authentication")
    assert "not-the-password" not in outcome.error


async def test_a_missing_password_is_down_with_auth(checker, role):
    outcome = await checker.run(monitor(f"127.0.0.1:{role.port}", user=role.user))
    assert (outcome.status, outcome.error_kind) == ("down", "auth")


async def test_an_unknown_database_is_down_with_the_servers_reason(checker, pg_port):
    outcome = await checker.run(monitor(f"127.0.0.1:{pg_port}", database="no_such_db"))
    assert (outcome.status, outcome.error_kind) == ("down", "server_error")
    assert outcome.error == ('server error 3D000: database "no_such_db" does not exist')


async def test_sslmode_require_on_a_server_without_tls_is_down_with_tls(checker, pg_port):
    outcome = await checker.run(monitor(f"127.0.0.1:{pg_port}", sslmode="require"))
    assert (outcome.status, outcome.error_kind) == ("down", "tls")
    assert outcome.error == f"127.0.0.1:{pg_port} does not accept TLS (sslmode require)"


async def test_verify_full_checks_the_certificate_against_the_host_name(
    trusting, checker, ca, role, tmp_path: Path
):
    spec = {"user": role.user, "password": role.password, "sslmode": "verify-full"}
    named = ca.issue(("localhost",)).server_context(tmp_path)
    async with tls_front((role.host, role.port), named) as (port, sessions):
        by_name = await trusting.run(monitor(f"localhost:{port}", **spec))
        by_address = await trusting.run(monitor(f"127.0.0.1:{port}", **spec))
        untrusted = await checker.run(monitor(f"localhost:{port}", **spec))
        chain_only = await trusting.run(
            monitor(f"127.0.0.1:{port}", **{**spec, "sslmode": "verify-ca"})
        )
    assert by_name.status == "up", by_name.error
    # The login went through the front, so it was made over TLS.
    assert role.user.encode() in sessions[0]
    assert (by_address.status, by_address.error_kind) == ("down", "tls")
    assert "not valid for '127.0.0.1'" in by_address.error
    assert (untrusted.status, untrusted.error_kind) == ("down", "tls")
    assert chain_only.status == "up", chain_only.error


async def _verify_full_both_ways(role: Role, ca: TestCA, folder: Path) -> tuple[Outcome, ...]:
    spec = {"user": role.user, "password": role.password, "sslmode": "verify-full"}
    named = ca.issue(("localhost",)).server_context(folder)
    async with (
        tls_front((role.host, role.port), named) as (port, _sessions),
        Checker(ssl_context=ca.client_context()) as trusting,
    ):
        by_name = await trusting.run(monitor(f"localhost:{port}", **spec))
        by_address = await trusting.run(monitor(f"127.0.0.1:{port}", **spec))
    return by_name, by_address


async def test_verify_full_names_the_host_on_uvloop_the_executors_loop(role, ca, tmp_path):
    # The name reaches the TLS layer through the task's context, which the loop carries.
    by_name, by_address = await asyncio.to_thread(
        uvloop.run, _verify_full_both_ways(role, ca, tmp_path)
    )
    assert by_name.status == "up", by_name.error
    assert (by_address.status, by_address.error_kind) == ("down", "tls")


async def test_prefer_uses_tls_when_offered_without_verifying(checker, role, ca, tmp_path):
    spec = {"user": role.user, "password": role.password}
    untrusted = ca.issue(("db.example.com",)).server_context(tmp_path)
    async with tls_front((role.host, role.port), untrusted) as (port, sessions):
        outcome = await checker.run(monitor(f"127.0.0.1:{port}", **spec))
    assert outcome.status == "up", outcome.error
    assert len(sessions) == 1


async def test_a_closed_port_is_refused(checker):
    port = _closed_port()
    outcome = await checker.run(monitor(f"127.0.0.1:{port}"))
    assert (outcome.status, outcome.error_kind) == ("down", "refused")


async def test_a_server_that_never_answers_times_out_while_connecting(checker):
    mute = await asyncio.start_server(lambda _r, _w: None, "127.0.0.1", 0)
    async with mute:
        port = mute.sockets[0].getsockname()[1]
        outcome = await checker.run(monitor(f"127.0.0.1:{port}", timeout_s=0.5))
    assert (outcome.status, outcome.error_kind) == ("down", "timeout")
    assert outcome.error == "no response within 0.5 s while connecting"


async def test_a_peer_that_is_not_postgres_is_down_with_connection(checker):
    async def http(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 400 Bad Request\r\n\r\n")
        writer.close()

    server = await asyncio.start_server(http, "127.0.0.1", 0)
    async with server:
        port = server.sockets[0].getsockname()[1]
        outcome = await checker.run(monitor(f"127.0.0.1:{port}", sslmode="disable"))
    assert (outcome.status, outcome.error_kind) == ("down", "connection")


async def test_upmons_own_postgres_and_metadata_are_refused_before_any_connection(
    admin_dsn, pg_port
):
    accepted: list[int] = []
    listener = await asyncio.start_server(
        lambda _r, w: (accepted.append(1), w.close()), "127.0.0.1", 0
    )
    port = listener.sockets[0].getsockname()[1]
    # As the executor's policy names its own Postgres (egress.from_settings).
    own = egress.own_rules(egress.dsn_endpoints(admin_dsn))
    policy = egress.Policy(own=own, deny=egress.parse_rules(f"127.0.0.1:{port}", "deny"))
    async with listener, Checker(policy=policy) as denying:
        itself = await denying.run(monitor(f"localhost:{pg_port}"))
        denied = await denying.run(monitor(f"127.0.0.1:{port}"))
        metadata = await denying.run(monitor("169.254.169.254"))
    assert [o.error_kind for o in (itself, denied, metadata)] == ["egress_denied"] * 3
    assert accepted == []


async def test_through_the_api_the_password_is_sealed_masked_and_opened_by_the_executor(
    api, pool, js, settings, role, ca, trusting, tmp_path
):
    spec = {"user": role.user, "password": role.password, "sslmode": "verify-full"}
    # Through a front: the api refuses monitors on upmon's own Postgres port.
    named = ca.issue(("localhost",)).server_context(tmp_path)
    async with tls_front((role.host, role.port), named) as (port, _sessions):
        body = {"name": "db", "kind": "postgres", "target": f"localhost:{port}", "postgres": spec}
        created = await api.call("POST", "/api/v1/monitors", body)
        assert created.status == 201, created.body
        assert created.body["postgres"]["password"] == MASK
        doc = await pool.fetchval(
            "SELECT doc::text FROM monitors WHERE id = $1", uuid.UUID(created.body["id"])
        )
        assert role.password not in doc
        now = utcnow()
        due = CheckDue(
            check_id="c:1",
            monitor_id=created.body["id"],
            region="default",
            slot=1,
            scheduled_at=now,
            deadline=now,
            monitor=msgspec.json.decode(doc, type=Monitor),
        )
        outcome = await run_check(trusting, js, due, Keyring.from_settings(settings))
    assert outcome.status == "up", outcome.error


BAD = [
    ({"sslmode": "allow"}, "db.example.com", "postgres.sslmode"),
    ({"user": "é" * 32}, "db.example.com", "postgres.user"),
    ({"database": "x\n"}, "db.example.com", "postgres.database"),
    ({}, "db.example.com:70000", "target"),
    ({}, "169.254.169.254", "target"),
]


async def test_bad_options_and_targets_are_a_422_naming_the_field(api):
    for options, target, field in BAD:
        body = {"name": "db", "kind": "postgres", "target": target, "postgres": options}
        reply = await api.call("POST", "/api/v1/monitors", body)
        assert reply.status == 422, (options, target, reply.body)
        assert reply.headers["Content-Type"] == "application/problem+json"
        assert [e["field"] for e in reply.body["errors"]] == [field], (options, target)
