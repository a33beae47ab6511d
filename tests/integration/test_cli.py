"""The `upmon` command line against real Postgres and NATS."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import asyncpg
import msgspec
import pytest

from shared import clickhouse, db
from shared.accounts import verify_password
from tests.conftest import settings_env

UPMON = str(Path(sys.executable).with_name("upmon"))


def upmon(settings, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **settings_env(settings)}
    return subprocess.run(
        [UPMON, *args], env=env, capture_output=True, text=True, timeout=60, input=stdin
    )


async def test_create_admin_reads_the_password_from_stdin_and_stores_an_argon2_hash(settings):
    done = upmon(
        settings, "user", "create-admin", "--email", "Ops@Example.com", stdin="s3cret-pw\n"
    )
    assert done.returncode == 0, done.stderr
    conn = await asyncpg.connect(settings.pg_dsn)
    try:
        row = await conn.fetchrow("SELECT * FROM users")
    finally:
        await conn.close()
    assert row["email"] == "ops@example.com" and row["role"] == "admin"
    assert row["password_hash"].startswith("$argon2")
    assert verify_password(row["password_hash"], "s3cret-pw")


def test_create_admin_password_flag_still_works_but_warns_it_is_deprecated(settings):
    args = ["user", "create-admin", "--email", "a@b.co", "--password", "long-enough"]
    done = upmon(settings, *args)
    assert done.returncode == 0, done.stderr
    assert "--password is deprecated" in done.stderr


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--email", "a@b.co"], "short\n", "at least 8 characters"),
        (["--email", "not-an-email"], "long-enough\n", "not an email address"),
        (["--email", "a@b.co"], "", "no password on stdin"),
        ([], "", "no terminal to ask on"),
    ],
)
def test_create_admin_refuses_bad_input_with_one_line(settings, args, stdin, message):
    done = upmon(settings, "user", "create-admin", *args, stdin=stdin)
    assert done.returncode == 1
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_second_admin_with_the_same_email_is_refused(settings):
    args = ["user", "create-admin", "--email", "a@b.co"]
    assert upmon(settings, *args, stdin="long-enough\n").returncode == 0
    again = upmon(settings, *args, stdin="long-enough\n")
    assert again.returncode == 1 and "exists already" in again.stderr


async def test_apikey_create_prints_the_key_once_and_stores_only_its_hash(settings):
    done = upmon(settings, "apikey", "create", "--name", "ci", "--scope", "write")
    assert done.returncode == 0, done.stderr
    key = done.stdout.strip()
    conn = await asyncpg.connect(settings.pg_dsn)
    try:
        stored = await conn.fetchrow("SELECT * FROM api_keys")
    finally:
        await conn.close()
    assert stored["scope"] == "write" and key not in str(dict(stored))


@pytest.mark.parametrize(
    "args",
    [["apikey", "create", "--name", "x", "--scope", "root"], ["service", "nope"], ["frobnicate"]],
)
def test_bad_arguments_exit_non_zero_with_a_reason(settings, args):
    done = upmon(settings, *args)
    assert done.returncode != 0 and done.stderr.startswith("upmon: ")


def test_unreachable_stack_is_a_one_line_error(settings):
    gone = msgspec.structs.replace(settings, pg_dsn="postgresql://postgres@127.0.0.1:1/upmon")
    done = upmon(gone, "apikey", "create", "--name", "x", "--scope", "read")
    assert done.returncode == 1 and "cannot reach the stack" in done.stderr


def test_queues_lists_every_consumer(settings, nc):
    done = upmon(settings, "queues")
    assert done.returncode == 0, done.stderr
    for consumer in ("recorder", "notifier-state", "notifier-dispatch", "executor-default"):
        assert consumer in done.stdout


async def test_migrations_apply_once(settings):
    assert await db.migrate(settings.pg_dsn) == []
    assert await clickhouse.migrate(settings) == []
    done = upmon(settings, "migrate")
    assert done.returncode == 0 and "postgres: 0 applied; clickhouse: 0 applied" in done.stdout
