"""Secrets already stored: the upgrade from plaintext rows (migration 0021) seals
them and loses nothing, and `upmon secrets rotate` (the real CLI) moves them to a
new key while old keys still open what they sealed."""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, datetime

import asyncpg
import msgspec
import nats.js.errors
import pytest

from services.api.keys import digest
from shared import db, secret_store, topology
from shared.events import monitor_decoder
from shared.sealing import Keyring, generate_key, is_sealed
from tests.conftest import _dsn_for
from tests.integration.test_cli import upmon

PASSWORD = "legacy-pa55word"
PUSH = "legacy-push-token-123"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


async def _at_version(dsn: str, last: int) -> None:
    """A database as a release before encryption left it: migrations up to `last`."""
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(
            "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        for version, name, sql in db.migration_files("postgres"):
            if version <= last:
                await conn.execute(sql)
                await conn.execute("INSERT INTO schema_migrations VALUES ($1, $2)", version, name)
    finally:
        await conn.close()


@pytest.fixture
async def old_dsn(infra) -> str:
    name = f"t_old_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(infra.pg_admin_dsn())
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    dsn = _dsn_for(infra.pg_admin_dsn(), name)
    await _at_version(dsn, 19)
    return dsn


def _doc(mid: uuid.UUID, kind: str, **extra) -> str:
    doc = {
        "id": str(mid),
        "name": f"legacy {kind}",
        "kind": kind,
        "timeout_s": 5.0,
        "version": 3,
        "created_at": NOW.isoformat(),
        "updated_at": NOW.isoformat(),
        **extra,
    }
    return msgspec.json.encode(doc).decode()


async def _plaintext_rows(dsn: str) -> dict[str, uuid.UUID]:
    ids = {n: uuid.uuid4() for n in ("http", "beat", "gone", "hook", "old_hook")}
    http = {
        "target": "https://e.example/?token=legacy-qtoken",
        "http": {"auth": {"type": "basic", "username": "u", "password": PASSWORD}},
    }
    conn = await asyncpg.connect(dsn)
    try:
        insert = (
            "INSERT INTO monitors (id, version, doc, created_at, updated_at, deleted_at)"
            " VALUES ($1, 3, $2::jsonb, $3, $3, $4)"
        )
        await conn.execute(insert, ids["http"], _doc(ids["http"], "http", **http), NOW, None)
        beat = _doc(ids["beat"], "heartbeat", push_token=PUSH)
        await conn.execute(insert, ids["beat"], beat, NOW, None)
        await conn.execute(insert, ids["gone"], _doc(ids["gone"], "http", **http), NOW, NOW)
        channel = (
            "INSERT INTO channels (id, name, kind, config, deleted_at)"
            " VALUES ($1, $2, 'webhook', $3::jsonb, $4)"
        )
        config = '{"url": "https://h.example/x", "secret": "hook-s3cret"}'
        await conn.execute(channel, ids["hook"], "hook", config, None)
        await conn.execute(channel, ids["old_hook"], "old", config, NOW)
    finally:
        await conn.close()
    return ids


async def test_upgrade_from_plaintext_rows_seals_them_and_keeps_them_usable(old_dsn, settings):
    ids = await _plaintext_rows(old_dsn)
    keyless = msgspec.structs.replace(settings, secret_key="")

    with pytest.raises(secret_store.MissingKey):
        await db.migrate(old_dsn, keyless)
    applied = await db.migrate(old_dsn, settings)

    # 0020 (columns only) went in with the refused run; the encryption waited for a key.
    assert applied[0] == "0021_seal_secrets.py" and "0020_secrets_users.sql" not in applied
    keyring = Keyring.from_settings(settings)
    conn = await asyncpg.connect(old_dsn)
    try:
        text = "".join(r["t"] for r in await conn.fetch("SELECT doc::text AS t FROM monitors"))
        text += "".join(r["t"] for r in await conn.fetch("SELECT config::text AS t FROM channels"))
        assert PASSWORD not in text and PUSH not in text and "hook-s3cret" not in text
        assert "legacy-qtoken" not in text
        docs = {
            r["id"]: msgspec.json.decode(r["doc"])
            for r in await conn.fetch("SELECT id, doc::text AS doc FROM monitors")
        }
        sealed = docs[ids["http"]]["http"]["auth"]["password"]
        assert is_sealed(sealed) and keyring.open(sealed) == PASSWORD
        assert keyring.open(docs[ids["beat"]]["push_token"]) == PUSH
        assert docs[ids["http"]]["version"] == 4
        assert docs[ids["http"]]["target"] == "https://e.example/?token=********"
        opened = keyring.open(docs[ids["http"]]["target_sealed"])
        assert opened == "https://e.example/?token=legacy-qtoken"
        assert docs[ids["gone"]]["http"]["auth"]["password"] == "********"
        hashed = await conn.fetchval(
            "SELECT id FROM monitors WHERE push_token_hash = $1", digest(PUSH)
        )
        assert hashed == ids["beat"]
        hook = await conn.fetchval("SELECT config FROM channels WHERE id = $1", ids["hook"])
        assert keyring.open(msgspec.json.decode(hook)["secret"]) == "hook-s3cret"
        assert (
            await conn.fetchval("SELECT config::text FROM channels WHERE id = $1", ids["old_hook"])
            == "{}"
        )
        # The scheduler hears of the sealed copies through the outbox.
        events = [
            monitor_decoder.decode(r["payload"])
            for r in await conn.fetch("SELECT payload FROM outbox")
        ]
        assert {e.monitor.id for e in events} == {str(ids["http"]), str(ids["beat"])}
        assert all(e.monitor.version == 4 for e in events)
    finally:
        await conn.close()


async def test_rotate_reseals_every_secret_with_the_new_key(api, pool, settings):
    created = await api.call(
        "POST",
        "/api/v1/monitors",
        {
            "name": "m",
            "kind": "http",
            "target": "https://e.example/",
            "http": {"auth": {"type": "bearer", "token": "rotate-me-please"}},
        },
    )
    assert created.status == 201
    old = settings.secret_key
    new = generate_key()
    rotated = msgspec.structs.replace(settings, secret_key=new, secret_key_old=old)

    done = upmon(rotated, "secrets", "rotate")

    assert done.returncode == 0, done.stderr
    assert "1 monitors" in done.stdout
    stored = await pool.fetchval(
        "SELECT doc FROM monitors WHERE id = $1", uuid.UUID(created.body["id"])
    )
    token = stored["http"]["auth"]["token"]
    only_new = Keyring.from_settings(msgspec.structs.replace(settings, secret_key=new))
    assert token.startswith(f"upmon:enc:v1:{only_new.current_id}:")
    assert only_new.open(token) == "rotate-me-please"

    lost = upmon(msgspec.structs.replace(settings, secret_key=generate_key()), "secrets", "rotate")
    assert lost.returncode == 1 and "UPMON_SECRET_KEY_OLD" in lost.stderr
    assert "Traceback" not in lost.stderr


def test_generate_key_prints_a_usable_key(settings):
    done = upmon(settings, "secrets", "generate-key")
    assert done.returncode == 0
    key = done.stdout.strip()
    assert Keyring.from_settings(msgspec.structs.replace(settings, secret_key=key)).seal("x")


async def test_rotate_can_purge_stream_history_that_carries_secrets(api, pool, js, settings):
    body = {
        "name": "m",
        "kind": "http",
        "target": "https://e.example/",
        "http": {"auth": {"type": "basic", "username": "u", "password": "sealed-now"}},
    }
    mid = (await api.call("POST", "/api/v1/monitors", body)).body["id"]
    gone = (await api.call("POST", "/api/v1/monitors", body)).body["id"]
    assert (await api.call("DELETE", f"/api/v1/monitors/{gone}")).status == 204
    # Events as a release before encryption published them, still in the stream's history.
    for target_id in (mid, gone):
        legacy = msgspec.json.encode(
            {"type": "monitor.upserted", "monitor": {"id": target_id, "password": PASSWORD}}
        )
        await js.publish(topology.monitor_subject("upserted", target_id), legacy)
    new = generate_key()
    rotated = msgspec.structs.replace(settings, secret_key=new, secret_key_old=settings.secret_key)

    done = upmon(rotated, "secrets", "rotate", "--purge-history")

    assert done.returncode == 0, done.stderr
    info = await js.stream_info("MONITORS")
    kept = []
    for seq in range(info.state.first_seq, info.state.last_seq + 1):
        with contextlib.suppress(nats.js.errors.NotFoundError):
            kept.append((await js.get_msg("MONITORS", seq)).data.decode())
    assert kept and not [k for k in kept if PASSWORD in k or "sealed-now" in k]
    latest = [k for k in kept if f'"id":"{mid}"' in k and "monitor.upserted" in k]
    only_new = Keyring.from_settings(msgspec.structs.replace(settings, secret_key=new))
    assert len(latest) == 1 and f"upmon:enc:v1:{only_new.current_id}:" in latest[0]
    assert not [k for k in kept if f'"id":"{gone}"' in k and "monitor.upserted" in k]


def test_the_api_refuses_to_start_without_a_key_in_one_line(settings):
    done = upmon(msgspec.structs.replace(settings, secret_key=""), "service", "api")
    assert done.returncode == 1
    assert "UPMON_SECRET_KEY" in done.stderr and "Traceback" not in done.stderr
