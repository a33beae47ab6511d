"""Sealing what is already stored: the upgrade from plaintext rows (migration 0021)
and key rotation (`upmon secrets rotate`) are the same walk over every row.

Live monitors whose doc changed get a new version and a MonitorUpserted event in
the same transaction, so the scheduler swaps the copy it holds (and the due
messages it sends) for the new ciphertext. Deleted rows keep no secret at all.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field

import msgspec

from shared import outbox, secret_fields, topology
from shared.events import MonitorUpserted, utcnow
from shared.monitors import Monitor
from shared.sealing import MASK, Keyring

_decode = msgspec.json.Decoder(Monitor).decode


class MissingKey(RuntimeError):
    pass


@dataclass
class Resealed:
    monitors: int = 0
    channels: int = 0
    scrubbed: int = 0
    # For purge_history: the events announcing new copies, the live monitors that hold
    # secrets, and the deleted ones.
    events: list[str] = field(default_factory=list)
    with_secrets: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


def _digest(token: str) -> str:
    import hashlib

    return hashlib.sha256(token.encode()).hexdigest()


async def reseal_all(conn, keyring: Keyring | None) -> Resealed:
    """Every secret sealed with the current key; one transaction, so all or nothing.
    With no keyring, succeeds only when there is nothing to seal."""
    done = Resealed()
    async with conn.transaction():
        await conn.execute("LOCK TABLE monitors, channels IN SHARE ROW EXCLUSIVE MODE")
        await _monitors(conn, keyring, done)
        await _channels(conn, keyring, done)
    return done


def _need(keyring: Keyring | None) -> Keyring:
    if keyring is None:
        raise MissingKey("UPMON_SECRET_KEY must be set to encrypt the secrets already stored")
    return keyring


def _resealer(keyring: Keyring | None):
    return lambda _, value: _need(keyring).reseal(value)


async def _monitors(conn, keyring: Keyring | None, done: Resealed) -> None:
    rows = await conn.fetch("SELECT id, doc::text AS doc, deleted_at FROM monitors")
    for row in rows:
        monitor = _split_target(_decode(row["doc"]))
        if row["deleted_at"] is not None:
            done.deleted.append(monitor.id)
        found = secret_fields.monitor_secrets(monitor)
        if not found:
            continue
        if row["deleted_at"] is not None:
            if any(v != MASK for v in found.values()):
                scrubbed = secret_fields.map_monitor(monitor, lambda _, __: MASK)
                await _write(conn, msgspec.structs.replace(scrubbed, target_sealed=None), None)
                done.scrubbed += 1
            continue
        done.with_secrets.append(monitor.id)
        resealed = secret_fields.map_monitor(monitor, _resealer(keyring))
        if resealed == monitor:
            continue
        token = _need(keyring).open(resealed.push_token) if resealed.push_token else None
        announced = msgspec.structs.replace(
            resealed, version=monitor.version + 1, updated_at=utcnow()
        )
        await _write(conn, announced, _digest(token) if token else None, bump=True)
        subject = topology.monitor_subject("upserted", announced.id)
        event = MonitorUpserted(monitor=announced)
        await outbox.enqueue(conn, subject, event)
        done.events.append(event.id)
        done.monitors += 1


def _split_target(monitor: Monitor) -> Monitor:
    """A target stored with its credential in plain sight (before 0021) becomes the
    masked target plus `target_sealed`, as the api stores it now."""
    if monitor.target_sealed or not secret_fields.has_credential(monitor.target):
        return monitor
    shown = secret_fields.masked_url(monitor.target, MASK)
    # Sealed by the reseal walk that follows (plaintext is sealed, never kept).
    return msgspec.structs.replace(monitor, target=shown, target_sealed=monitor.target)


async def _write(conn, monitor: Monitor, push_hash: str | None, bump: bool = False) -> None:
    sql = "UPDATE monitors SET doc = $2::jsonb, push_token_hash = $3"
    if bump:
        sql += ", version = $4, updated_at = $5"
    args = [uuid.UUID(monitor.id), msgspec.json.encode(monitor).decode(), push_hash]
    if bump:
        args += [monitor.version, monitor.updated_at]
    await conn.execute(sql + " WHERE id = $1", *args)


async def _channels(conn, keyring: Keyring | None, done: Resealed) -> None:
    rows = await conn.fetch("SELECT id, kind, config::text AS config, deleted_at FROM channels")
    for row in rows:
        config = msgspec.json.decode(row["config"])
        if row["deleted_at"] is not None:
            if config:
                await conn.execute(
                    "UPDATE channels SET config = '{}'::jsonb WHERE id = $1", row["id"]
                )
                done.scrubbed += 1
            continue
        resealed = secret_fields.map_channel(row["kind"], config, _resealer(keyring))
        if resealed != config:
            await conn.execute(
                "UPDATE channels SET config = $2::jsonb WHERE id = $1",
                row["id"],
                msgspec.json.encode(resealed).decode(),
            )
            done.channels += 1


async def purge_history(pool, js, done: Resealed, timeout_s: float = 30.0) -> int:
    """Drop the copies of secrets that older MONITORS events still carry (plaintext from
    before encryption, or old keys' ciphertext): each monitor with secrets keeps only
    its latest upsert, which is sealed with the current key once our announcements are
    published; deleted monitors keep none. Returns how many subjects were purged."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while await pool.fetchval(
        "SELECT count(*) FROM outbox WHERE event_id = ANY($1::uuid[])",
        [uuid.UUID(e) for e in done.events],
    ):
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("the new copies were not published in time: run rotate again")
        if not await outbox.relay_once(pool, js):
            await asyncio.sleep(0.1)
    stream = "MONITORS"
    for mid in done.with_secrets:
        await js.purge_stream(stream, subject=topology.monitor_subject("upserted", mid), keep=1)
    for mid in done.deleted:
        await js.purge_stream(stream, subject=topology.monitor_subject("upserted", mid))
    return len(done.with_secrets) + len(done.deleted)
