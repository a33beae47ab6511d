"""The session's Postgres as a monitored server: a role that must give its password, and a
TLS front for it (the test server itself runs without TLS).

The test Postgres trusts every local connection; a password check needs a pg_hba line
asking this one role for a password. The file is rewritten through the server itself
(lo_export), so the same works whether the server is embedded or in a container.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import struct
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import asyncpg

_SSL_REQUEST = struct.pack("!ii", 8, 80877103)


@dataclass(frozen=True)
class Role:
    user: str
    password: str
    host: str
    port: int


async def _write_server_file(conn: asyncpg.Connection, path: str, text: str) -> None:
    oid = await conn.fetchval("SELECT lo_from_bytea(0, convert_to($1, 'UTF8'))", text)
    try:
        await conn.execute(f"SELECT lo_export({int(oid)}, $1)", path)
    finally:
        await conn.execute(f"SELECT lo_unlink({int(oid)})")


async def _asks_password(role: Role, deadline: float) -> None:
    """pg_reload_conf() only signals the server: wait until a wrong password is refused."""
    while True:
        try:
            conn = await asyncpg.connect(
                host=role.host, port=role.port, user=role.user, password="", database="postgres"
            )
        except asyncpg.InvalidPasswordError:
            return
        await conn.close()
        if time.monotonic() > deadline:
            raise AssertionError("the server did not start asking for the password")
        await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def password_role(admin_dsn: str) -> AsyncIterator[Role]:
    """A login role checked by scram-sha-256 on loopback, for as long as the block runs."""
    name = f"probe_{uuid.uuid4().hex[:10]}"
    password = uuid.uuid4().hex
    conn = await asyncpg.connect(admin_dsn)
    try:
        hba_file = await conn.fetchval("SHOW hba_file")
        original = await conn.fetchval("SELECT pg_read_file($1)", hba_file)
        await conn.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'")
        # First match wins: these lines come before the file's `trust` ones.
        lines = [f"host all {name} {net} scram-sha-256" for net in ("127.0.0.1/32", "::1/128")]
        await _write_server_file(conn, hba_file, "\n".join(lines) + "\n" + original)
        await conn.execute("SELECT pg_reload_conf()")
        where = urlsplit(admin_dsn)
        role = Role(name, password, where.hostname or "127.0.0.1", where.port or 5432)
        await _asks_password(role, time.monotonic() + 10)
        try:
            yield role
        finally:
            await _write_server_file(conn, hba_file, original)
            await conn.execute("SELECT pg_reload_conf()")
            await conn.execute(f"DROP ROLE IF EXISTS {name}")
    finally:
        await conn.close()


@contextlib.asynccontextmanager
async def tls_front(
    upstream: tuple[str, int], context: ssl.SSLContext
) -> AsyncIterator[tuple[int, list[bytes]]]:
    """A loopback port that speaks Postgres' TLS upgrade with `context` and relays the
    session in the clear to `upstream`. Yields the port and the first bytes of each
    session after the upgrade (what the client sent once encrypted)."""
    seen: list[bytes] = []

    async def session(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            if await reader.readexactly(8) != _SSL_REQUEST:
                return
            writer.write(b"S")
            await writer.drain()
            await writer.start_tls(context)
            first = await reader.read(65536)
            seen.append(first)
            up_reader, up_writer = await asyncio.open_connection(*upstream)
            up_writer.write(first)
            await asyncio.gather(_pump(reader, up_writer), _pump(up_reader, writer))
        except (OSError, ssl.SSLError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(session, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1], seen
    finally:
        server.close()


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    finally:
        writer.close()
