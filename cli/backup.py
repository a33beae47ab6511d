"""`upmon backup DIR` and `upmon restore DIR`.

A backup holds what cannot be rebuilt from anything else:
- postgres.dump: pg_dump's custom format (monitors, users, keys, incidents, state, outbox);
- clickhouse/<table>.native: every table of the results database in ClickHouse's
  Native format, with its CREATE statement beside it;
- streams/<NAME>.snap: JetStream's own snapshot of MONITORS and INCIDENTS (messages
  with their sequences and times, and the durable consumers' positions), and of the
  heartbeat bucket's stream (each job's last ping and its open runs, so no job looks
  missed or loses a run's start after a restore); RESULTS is replayed into
  ClickHouse, CHECKS/NOTIFY hold only work in flight, and the other buckets are
  leases and liveness that renew themselves, so they are not kept;
- manifest.json: versions, counts and the SHA-256 of every file.

It runs against a live stack: Postgres is dumped first (one consistent snapshot),
then the stream snapshots. An outbox row in the dump
was not yet published when it was taken; if it was published before the streams were
read, the restore finds its event in both and drops the outbox row.

A restore goes into an empty data dir (the embedded parts are started there for the
time it takes) or, with --deployment, into the empty servers that UPMON_* name."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cli.main import CliError, data_dir, run_async, settings_for

FORMAT = 1
STREAMS = ("MONITORS", "INCIDENTS", "KV_upmon_heartbeats")
MANIFEST = "manifest.json"
PG_DUMP = "postgres.dump"
# Materialized views are rebuilt by migrations, not copied: their target tables are.
_SKIP_ENGINES = ("MaterializedView", "View")
_CHUNK = 1 << 20


# -- checksums and the manifest (pure) ------------------------------------------------------


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_entries(root: Path) -> dict[str, dict[str, Any]]:
    return {
        str(p.relative_to(root)): {"sha256": sha256(p), "bytes": p.stat().st_size}
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != MANIFEST
    }


def verify(root: Path) -> dict[str, Any]:
    """The manifest, once every file it lists is present with its checksum."""
    try:
        manifest = json.loads((root / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise CliError(f"{root} is not an upmon backup: cannot read {MANIFEST}: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise CliError(f"{root}: backup format {manifest.get('format')!r} is not {FORMAT}")
    for name, want in manifest.get("files", {}).items():
        path = root / name
        if not path.is_file():
            raise CliError(f"{root}: {name} is missing")
        if sha256(path) != want["sha256"]:
            raise CliError(f"{root}: {name} does not match its checksum (damaged or changed)")
    return manifest


def _empty_dir(path: Path, what: str) -> None:
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise CliError(f"{what} {path} is not empty: choose a new folder")


# -- Postgres -------------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    """The pgserver wheel's tool (the embedded extra), else the one on PATH."""
    from stack.parts import PartError, _pg_bin_dir

    try:
        return str(_pg_bin_dir() / name)
    except PartError:
        found = shutil.which(name)
        if found is None:
            raise CliError(
                f"{name} not found: install the embedded extra or PostgreSQL's client"
            ) from None
        return found


def _pg_run(argv: list[str], what: str) -> str:
    from stack.parts import _clean_env

    done = subprocess.run(argv, env=_clean_env(), capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise CliError(f"{what} failed: {lines[-1] if lines else done.returncode}")
    return done.stdout


# -- ClickHouse -----------------------------------------------------------------------------


async def _ch_tables(ch, db: str) -> list[tuple[str, str]]:
    rows = await ch.query(
        "SELECT name, engine FROM system.tables WHERE database = {db:String} ORDER BY name",
        parameters={"db": db},
    )
    return [(n, e) for n, e in rows.result_rows]


async def _dump_clickhouse(ch, db: str, out: Path) -> dict[str, int]:
    counts = {}
    for name, engine in await _ch_tables(ch, db):
        if engine in _SKIP_ENGINES:
            continue
        create = (await ch.query(f"SHOW CREATE TABLE `{db}`.`{name}`")).result_rows[0][0]
        (out / f"{name}.sql").write_text(create + "\n")
        # Streamed to the file block by block: a large results table never sits in memory.
        stream = await ch.raw_stream(f"SELECT * FROM `{db}`.`{name}`", fmt="Native")
        with stream, (out / f"{name}.native").open("wb") as f:
            async for chunk in stream:
                f.write(chunk)
        q = f"SELECT count() FROM `{db}`.`{name}`"
        counts[name] = int((await ch.query(q)).result_rows[0][0])
    return counts


async def _restore_clickhouse(settings, root: Path, manifest: dict) -> None:
    from shared import clickhouse

    await clickhouse.migrate(settings)
    db = settings.clickhouse_database
    ch = await clickhouse.connect(settings, database=db, retries=3)
    try:
        tables = dict(await _ch_tables(ch, db))
        busy = [
            t for t in manifest["clickhouse"]["tables"] if t in tables and t != "schema_migrations"
        ]
        for t in busy:
            if (await ch.query(f"SELECT count() FROM `{db}`.`{t}`")).result_rows[0][0]:
                raise CliError(
                    f"ClickHouse table {db}.{t} is not empty: restore needs an empty one"
                )
        views = [n for n, e in tables.items() if e == "MaterializedView"]
        # Rollups come from the backup: rows copied into the raw table must not be
        # rolled up a second time on their way in.
        for v in views:
            await ch.command(f"DETACH TABLE `{db}`.`{v}`")
        try:
            for t in busy:
                with (root / "clickhouse" / f"{t}.native").open("rb") as f:
                    await ch.raw_insert(f"`{db}`.`{t}`", insert_block=f, fmt="Native")
        finally:
            for v in views:
                await ch.command(f"ATTACH TABLE `{db}`.`{v}`")
    finally:
        await ch.close()


# -- JetStream ------------------------------------------------------------------------------


SNAPSHOT_CHUNK = 128 * 1024
SNAPSHOT_TIMEOUT_S = 600.0


async def _api(js, subject: str, body: dict | None, timeout: float = 30.0) -> dict:
    reply = await js._nc.request(
        f"{js._prefix}.{subject}", json.dumps(body or {}).encode(), timeout=timeout
    )
    found = json.loads(reply.data or b"{}")
    if found.get("error"):
        raise CliError(f"JetStream {subject}: {found['error'].get('description', found['error'])}")
    return found


async def _snapshot_stream(js, name: str, path: Path) -> dict[str, Any]:
    """The server's own snapshot of a stream (messages with their sequences and times,
    and its durable consumers' state), as the chunks it sends: an s2-compressed tar."""
    nc = js._nc
    inbox = nc.new_inbox()
    chunks: list[bytes] = []
    finished = asyncio.Event()

    async def on_chunk(msg) -> None:
        if not msg.data:
            finished.set()
            return
        chunks.append(msg.data)
        if msg.reply:  # flow control: the server sends more as chunks are acked
            await nc.publish(msg.reply, b"")

    sub = await nc.subscribe(inbox, cb=on_chunk)
    try:
        info = await _api(
            js,
            f"STREAM.SNAPSHOT.{name}",
            {"deliver_subject": inbox, "chunk_size": SNAPSHOT_CHUNK, "no_consumers": False},
        )
        await asyncio.wait_for(finished.wait(), SNAPSHOT_TIMEOUT_S)
    finally:
        await sub.unsubscribe()
    with path.open("wb") as f:
        for chunk in chunks:
            f.write(chunk)
    state = info.get("state", {})
    return {
        "messages": state.get("messages", 0),
        "first_seq": state.get("first_seq", 0),
        "last_seq": state.get("last_seq", 0),
        "config": info.get("config", {}),
        "state": state,
    }


async def _restore_snapshot(js, name: str, path: Path, saved: dict[str, Any]) -> int:
    """Hand the snapshot back to the server, which rebuilds the stream as it was:
    same sequences, times and consumer positions (the notifier does not alert again
    on events it had dispatched)."""
    import nats.js.errors

    try:
        if (await js.stream_info(name)).state.messages:
            raise CliError(f"stream {name} is not empty: restore needs an empty deployment")
        await js.delete_stream(name)  # empty, and a restore must create it itself
    except nats.js.errors.NotFoundError:
        pass
    target = await _api(
        js, f"STREAM.RESTORE.{name}", {"config": saved["config"], "state": saved["state"]}
    )
    deliver = target["deliver_subject"]
    with path.open("rb") as f:
        while chunk := f.read(SNAPSHOT_CHUNK):
            answer = await js._nc.request(deliver, chunk, timeout=30)
            if answer.data:
                raise CliError(f"restoring stream {name}: {answer.data.decode(errors='replace')}")
    done = await js._nc.request(deliver, b"", timeout=SNAPSHOT_TIMEOUT_S)
    found = json.loads(done.data or b"{}")
    if found.get("error"):
        raise CliError(f"restoring stream {name}: {found['error'].get('description')}")
    return int(found.get("state", {}).get("messages", 0))


async def _event_ids(js, name: str) -> list[str]:
    """The message ids (event ids) stored in a stream."""
    import nats.js.errors

    ids, seq = [], 1
    while True:
        try:
            raw = await js.get_msg(name, seq=seq, subject=">", next=True)
        except nats.js.errors.NotFoundError:
            return ids
        if (raw.headers or {}).get("Nats-Msg-Id"):
            ids.append(raw.headers["Nats-Msg-Id"])
        seq = raw.seq + 1


# -- backup ---------------------------------------------------------------------------------


async def _backup(settings, root: Path) -> dict[str, Any]:
    from importlib import metadata

    from cli.replay import jetstream
    from shared import clickhouse

    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "upmon_version": metadata.version("upmon"),
    }
    _pg_run(
        [_pg_tool("pg_dump"), "-Fc", "--no-owner", "-f", str(root / PG_DUMP), settings.pg_dsn],
        "pg_dump",
    )
    manifest["postgres"] = {
        "pg_dump": _pg_run([_pg_tool("pg_dump"), "--version"], "pg_dump").strip(),
        "server": _pg_run(
            [_pg_tool("psql"), "-XAtc", "SHOW server_version", settings.pg_dsn], "psql"
        ).strip(),
    }
    async with jetstream(settings) as js:
        streams = {
            n: await _snapshot_stream(js, n, root / "streams" / f"{n}.snap") for n in STREAMS
        }
        server = js._nc._server_info.get("version")
    manifest["nats"] = {"server": server, "streams": streams}
    try:
        ch = await clickhouse.connect(settings, database=settings.clickhouse_database, retries=3)
    except Exception as exc:  # the driver wraps connection errors in several types
        raise CliError(f"cannot reach ClickHouse at {settings.clickhouse_url}: {exc}") from None
    try:
        tables = await _dump_clickhouse(ch, settings.clickhouse_database, root / "clickhouse")
        version = (await ch.query("SELECT version()")).result_rows[0][0]
    finally:
        await ch.close()
    manifest["clickhouse"] = {
        "server": version,
        "database": settings.clickhouse_database,
        "tables": tables,
    }
    manifest["files"] = file_entries(root)
    (root / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def cmd_backup(args: argparse.Namespace) -> None:
    root = Path(args.dir)
    _empty_dir(root, "backup folder")
    for folder in (root, root / "streams", root / "clickhouse"):
        folder.mkdir(parents=True, exist_ok=True)
    try:
        manifest = run_async(_backup(settings_for(args), root))
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    streams = manifest["nats"]["streams"]
    rows = sum(manifest["clickhouse"]["tables"].values())
    print(
        f"backup written to {root}: postgres dump,"
        f" {len(manifest['clickhouse']['tables'])} ClickHouse tables ({rows} rows),"
        + "".join(f" {n} {s['messages']} messages," for n, s in streams.items())
        + f" {len(manifest['files'])} files checksummed"
    )


# -- restore --------------------------------------------------------------------------------


async def _pg_is_empty(dsn: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(dsn, timeout=10)
    try:
        for table in ("monitors", "users", "incidents"):
            exists = await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", table)
            if exists and await conn.fetchval(f"SELECT EXISTS (SELECT FROM {table})"):
                raise CliError(f"Postgres already holds {table}: restore needs an empty one")
    finally:
        await conn.close()


async def _drop_published_outbox(dsn: str, ids: list[str]) -> int:
    import uuid

    import asyncpg

    uuids = []
    for i in ids:
        try:
            uuids.append(uuid.UUID(i))
        except ValueError:
            continue
    conn = await asyncpg.connect(dsn, timeout=10)
    try:
        done = await conn.execute("DELETE FROM outbox WHERE event_id = ANY($1::uuid[])", uuids)
    finally:
        await conn.close()
    return int(done.split()[-1])


async def _restore(settings, root: Path, manifest: dict) -> dict[str, int]:
    import nats.js.errors

    from cli.replay import jetstream
    from shared import topology

    await _pg_is_empty(settings.pg_dsn)
    # Backups made before a stream was kept simply lack it.
    saved = manifest["nats"]["streams"]
    names = [n for n in STREAMS if n in saved]
    async with jetstream(settings) as js:
        for name in names:
            with contextlib.suppress(nats.js.errors.NotFoundError):
                if (await js.stream_info(name)).state.messages:
                    raise CliError(f"stream {name} is not empty: restore needs an empty deployment")
    await _restore_clickhouse(settings, root, manifest)
    _pg_run(
        [
            _pg_tool("pg_restore"),
            "--no-owner",
            "--clean",
            "--if-exists",
            "--exit-on-error",
            "-d",
            settings.pg_dsn,
            str(root / PG_DUMP),
        ],
        "pg_restore",
    )
    counts: dict[str, int] = {}
    ids: list[str] = []
    async with jetstream(settings) as js:
        for name in names:
            path = root / "streams" / f"{name}.snap"
            counts[name] = await _restore_snapshot(js, name, path, saved[name])
            ids += await _event_ids(js, name)
        # The rest of the topology, and the restored streams brought to this version's.
        await topology.ensure(js, settings)
        dispatch = topology.NOTIFIER_DISPATCH
        info = await js.consumer_info(dispatch.stream, dispatch.durable)
        counts["incident events left to dispatch"] = info.num_pending or 0
    counts["outbox rows already published"] = await _drop_published_outbox(settings.pg_dsn, ids)
    return counts


@dataclass
class _Embedded:
    """The parts of `upmon up`, started in a fresh data dir for the restore only."""

    root: Path

    def __enter__(self):
        from stack.parts import free_port
        from stack.supervisor import Ports, Stack

        ports = Ports(nats=free_port(), postgres=free_port(), clickhouse=free_port())
        self.stack = Stack(self.root, ports)
        self.stack.start_parts()
        return self

    def settings(self):
        from shared import config

        return config.load({**os.environ, **self.stack.env()})

    def __exit__(self, *exc: object) -> None:
        self.stack.stop_parts()
        (self.root / "stack.env").unlink(missing_ok=True)


def cmd_restore(args: argparse.Namespace) -> None:
    from stack.parts import PartError

    root = Path(args.dir)
    manifest = verify(root)
    if args.deployment:
        counts = run_async(_restore(settings_for(args), root, manifest))
        where = "the deployment UPMON_* names"
    else:
        target = data_dir(args)
        _empty_dir(target, "data dir")
        target.mkdir(parents=True, exist_ok=True)
        try:
            with _Embedded(target) as parts:
                counts = run_async(_restore(parts.settings(), root, manifest))
        except PartError as exc:
            raise CliError(str(exc)) from None
        where = f"{target} (start it with `upmon --data-dir {target} up`)"
    said = ", ".join(f"{k}: {v}" for k, v in counts.items())
    rows = sum(manifest["clickhouse"]["tables"].values())
    print(f"checksums verified; restored into {where}: postgres, {rows} ClickHouse rows, {said}")


def register(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser("backup", help="write a consistent backup of the stack to a new folder")
    b.add_argument("dir", help="a new or empty folder")
    b.set_defaults(func=cmd_backup)
    r = sub.add_parser("restore", help="restore a backup into an empty data dir or deployment")
    r.add_argument("dir", help="a folder written by `upmon backup`")
    r.add_argument(
        "--deployment",
        action="store_true",
        help="restore into the empty servers UPMON_* name (compose) instead of a new data dir",
    )
    r.set_defaults(func=cmd_restore)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("use `upmon backup` or `upmon restore`")
