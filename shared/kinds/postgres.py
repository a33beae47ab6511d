"""postgres: connect, authenticate, run `SELECT 1`.

asyncpg is handed the judged IP addresses, never the name, so the egress policy holds;
TLS is verified against the monitor's host name all the same. Phases: `dns_ms`, then
`connect_ms` (TCP, TLS and authentication: asyncpg does them as one step), then the
query's round trip as `ttfb_ms`.

Nothing is read from the executor's environment or home folder: asyncpg would take
PGPASSWORD, ~/.pgpass and ~/.postgresql client certificates for a missing value, and
hand them to whichever server a monitor names.
"""

from __future__ import annotations

import functools
import ssl
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

import asyncpg
from asyncpg.exceptions import InternalClientError

from shared import egress
from shared.bounds import plain
from shared.kinds.base import (
    FieldError,
    FormField,
    MonitorKind,
    Options,
    ProbeContext,
    errors,
    host_port,
    host_port_error,
)
from shared.sealing import MASK, is_sealed

# shared.probes imports this registry: the check imports it when it runs.
if TYPE_CHECKING:
    from shared.probes.outcome import Outcome
    from shared.probes.timing import Timeline

DEFAULT_PORT = 5432
# Postgres cuts identifiers at NAMEDATALEN - 1 bytes.
_MAX_IDENTIFIER_BYTES = 63
MAX_PASSWORD_BYTES = 512
# The sealed form of the longest password (shared.sealing: prefix, key id, base64 of
# nonce, ciphertext and tag) is what a stored monitor holds.
_SEALED_ROOM = 1024
SslMode = Literal["disable", "prefer", "require", "verify-ca", "verify-full"]
_REJECTED_TLS = "rejected SSL upgrade"
# SQLSTATE classes: 28 invalid authorization (wrong password, no such role, refused by
# pg_hba), 08 the connection itself (a peer that hung up, or is not PostgreSQL).
_AUTH_CLASS, _CONNECTION_CLASS = "28", "08"


class PostgresOptions(Options):
    user: Annotated[str, plain(_MAX_IDENTIFIER_BYTES, 1)] = "postgres"
    # Held sealed once stored: the bound leaves room for that form (rules bound the text).
    password: Annotated[str, plain(_SEALED_ROOM)] | None = None
    database: Annotated[str, plain(_MAX_IDENTIFIER_BYTES, 1)] = "postgres"
    # As libpq reads sslmode; verify-ca and verify-full trust the executor's CAs.
    sslmode: SslMode = "prefer"


def rules(fields: Any, spec: PostgresOptions | None) -> list[FieldError]:
    found = errors("target", host_port_error(fields.target, port_required=False))
    if spec is None:
        return found
    for name, limit in (("user", _MAX_IDENTIFIER_BYTES), ("database", _MAX_IDENTIFIER_BYTES)):
        found += errors(f"postgres.{name}", _bytes_error(getattr(spec, name), limit))
    password = spec.password
    if password is not None and not (is_sealed(password) or password == MASK):
        found += errors("postgres.password", _bytes_error(password, MAX_PASSWORD_BYTES))
    return found


def _bytes_error(text: str, limit: int) -> str | None:
    """Postgres bounds names in bytes and takes only UTF-8, which a lone surrogate is not."""
    try:
        size = len(text.encode())
    except UnicodeEncodeError:
        return "must be valid Unicode text"
    return f"must be at most {limit} bytes in UTF-8" if size > limit else None


async def probe(
    ctx: ProbeContext, monitor: Any, spec: PostgresOptions | None, timeline: Timeline
) -> Outcome:
    from shared.probes.timing import now_ms

    spec = spec or PostgresOptions()
    host, port = host_port(monitor.target, DEFAULT_PORT)
    started = now_ms()
    server = _Server(host, port, await _addresses(host, port, timeline))
    try:
        return await _session(ctx, server, spec, monitor.timeout_s, started, timeline)
    except asyncpg.PostgresError as exc:
        return _refused(exc, spec, started, timeline)
    except (asyncpg.InterfaceError, InternalClientError) as exc:
        message = f"{host}:{port} did not answer as PostgreSQL: {egress.excerpt(str(exc))}"
        return _down("connection", message, started, timeline)
    except ConnectionError as exc:
        if _REJECTED_TLS not in str(exc) or isinstance(exc, ConnectionRefusedError):
            raise
        message = f"{host}:{port} does not accept TLS (sslmode {spec.sslmode})"
        return _down("tls", message, started, timeline)


@dataclass(frozen=True)
class _Server:
    host: str
    port: int
    # The judged addresses of host, in the order they are tried.
    addresses: list[str]


async def _session(
    ctx: ProbeContext,
    server: _Server,
    spec: PostgresOptions,
    timeout_s: float,
    started: float,
    timeline: Timeline,
) -> Outcome:
    timeline.start("connect_ms")
    conn = await _connect(ctx, server, spec, timeout_s)
    timeline.stop("connect_ms")
    try:
        outcome = await _query(conn, started, timeline)
    except BaseException:
        # Failed or out of time: no polite goodbye to a server that may not answer it.
        conn.terminate()
        raise
    await _close(conn)
    return outcome


async def _addresses(host: str, port: int, timeline: Timeline) -> list[str]:
    from shared.probes.resolve import addr_infos, is_ip_literal

    if is_ip_literal(host):
        infos = await addr_infos(host, port)
    else:
        timeline.start("dns_ms")
        infos = await addr_infos(host, port)
        timeline.stop("dns_ms")
    return list(dict.fromkeys(info[4][0] for info in infos))


async def _connect(
    ctx: ProbeContext, server: _Server, spec: PostgresOptions, timeout_s: float
) -> asyncpg.Connection:
    if spec.sslmode != "prefer":
        return await _open(server, spec, _tls(ctx, spec.sslmode), timeout_s)
    try:
        return await _open(server, spec, _tls(ctx, "require"), timeout_s)
    except (ConnectionRefusedError, TimeoutError):
        raise
    except OSError:
        # libpq's prefer: a server that refuses (or fails) TLS is asked again in the clear.
        return await _open(server, spec, False, timeout_s)


async def _open(
    server: _Server, spec: PostgresOptions, tls: ssl.SSLContext | bool, timeout_s: float
) -> asyncpg.Connection:
    named = _SERVER_NAME.set(server.host)
    try:
        return await _connect_to(server, spec, tls, timeout_s)
    finally:
        _SERVER_NAME.reset(named)


async def _connect_to(
    server: _Server, spec: PostgresOptions, tls: ssl.SSLContext | bool, timeout_s: float
) -> asyncpg.Connection:
    # Every value given, so asyncpg reads none of PG* nor ~/.pgpass.
    return await asyncpg.connect(
        host=server.addresses,
        port=server.port,
        user=spec.user,
        password=spec.password or "",
        database=spec.database,
        ssl=tls,
        direct_tls=False,
        target_session_attrs="any",
        timeout=timeout_s,
        statement_cache_size=0,
        server_settings={"application_name": "upmon"},
    )


async def _query(conn: asyncpg.Connection, started: float, timeline: Timeline) -> Outcome:
    from shared.probes.outcome import Outcome
    from shared.probes.timing import ceil_us, now_ms

    timeline.start("ttfb_ms")
    value = await conn.fetchval("SELECT 1")
    timeline.stop("ttfb_ms")
    if value != 1:
        return _down("expect", f"SELECT 1 returned {value!r}", started, timeline)
    latency = ceil_us(now_ms() - started)
    return Outcome(status="up", latency_ms=latency, phases=timeline.phases())


async def _close(conn: asyncpg.Connection) -> None:
    """A Terminate message, so the server does not log every check as a lost client."""
    try:
        await conn.close(timeout=1.0)
    except BaseException as exc:
        conn.terminate()
        if not isinstance(exc, Exception):
            raise


def _refused(
    exc: asyncpg.PostgresError, spec: PostgresOptions, started: float, timeline: Timeline
) -> Outcome:
    reason = egress.excerpt(getattr(exc, "message", "") or str(exc))
    code = getattr(exc, "sqlstate", "") or ""
    if code.startswith(_AUTH_CLASS):
        return _down("auth", f"login as {spec.user} refused: {reason}", started, timeline)
    if code.startswith(_CONNECTION_CLASS):
        return _down("connection", f"connection lost: {reason}", started, timeline)
    return _down("server_error", f"server error {code}: {reason}", started, timeline)


def _down(kind: str, message: str, started: float, timeline: Timeline) -> Outcome:
    from shared.probes.outcome import Outcome
    from shared.probes.timing import ceil_us, now_ms

    timeline.stop("connect_ms")
    timeline.stop("ttfb_ms")
    latency = ceil_us(now_ms() - started)
    return Outcome(
        status="down",
        latency_ms=latency,
        error_kind=kind,
        error=message,
        phases=timeline.phases(),
    )


# -- TLS -----------------------------------------------------------------------------


# The host name of the connection being made in this task: asyncpg gives the TLS layer
# the address it connects to, and the certificate is to be checked against the name.
_SERVER_NAME: ContextVar[str | None] = ContextVar("postgres_server_name", default=None)


class _NamedContext(ssl.SSLContext):
    """Sends and verifies the monitor's host name while asyncpg connects to an address.
    One context serves every host (a context holds its own copy of every CA, near a
    megabyte), so the name comes from the task making the connection."""

    def wrap_bio(  # type: ignore[override]
        self,
        incoming: ssl.MemoryBIO,
        outgoing: ssl.MemoryBIO,
        server_side: bool = False,
        server_hostname: str | bytes | None = None,
        session: ssl.SSLSession | None = None,
    ) -> ssl.SSLObject:
        name = _SERVER_NAME.get() or server_hostname
        return super().wrap_bio(incoming, outgoing, server_side, name, session)


def _tls(ctx: ProbeContext, mode: SslMode) -> ssl.SSLContext | bool:
    if mode == "disable":
        return False
    if mode == "require":
        return _unverified()
    return _verifying(ctx.ssl_context, check_name=mode == "verify-full")


@functools.cache
def _unverified() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


@functools.lru_cache(maxsize=8)
def _verifying(trusted: ssl.SSLContext | None, *, check_name: bool) -> ssl.SSLContext:
    """What `trusted` trusts and the system's CAs; verify-ca checks only the chain."""
    context = _NamedContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_default_certs()
    if trusted is not None:
        for der in trusted.get_ca_certs(binary_form=True):
            context.load_verify_locations(cadata=der)
    context.check_hostname = check_name
    return context


KIND = MonitorKind(
    name="postgres",
    title="PostgreSQL",
    options=PostgresOptions,
    target="host_port",
    target_example="db.example.com:5432",
    default_port=DEFAULT_PORT,
    probe=probe,
    rules=rules,
    secrets=("password",),
    form=(
        FormField("user", "User", placeholder="postgres"),
        FormField("password", "Password", input="password"),
        FormField("database", "Database", placeholder="postgres"),
        FormField(
            "sslmode",
            "TLS (sslmode)",
            input="select",
            choices=("disable", "prefer", "require", "verify-ca", "verify-full"),
            help="verify-full checks the certificate and the host name",
        ),
    ),
    summary="Connects and authenticates to PostgreSQL and runs SELECT 1",
    error_kinds=frozenset({"auth", "expect", "server_error"}),
)
