"""grpc: the standard health service, `grpc.health.v1.Health/Check`.

The channel is given the judged IP addresses (`ipv4:`/`ipv6:` targets), never the name,
so grpc does no lookup of its own; the name still goes out as the :authority and, over
TLS, as the server name the certificate is verified against. Phases: `dns_ms`, then
`connect_ms` until the channel is ready (TCP, TLS and the HTTP/2 preface: grpc does
them as one step), then the Check call's round trip as `ttfb_ms`.
"""

from __future__ import annotations

import functools
import os
import ssl
from typing import TYPE_CHECKING, Annotated, Any

from msgspec import Meta

from shared import egress
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

# grpc is imported by the check alone, so that the services that only read the registry
# do not load it; shared.probes is imported there too, since it imports this registry.
if TYPE_CHECKING:
    import grpc

    from shared.probes.outcome import Outcome
    from shared.probes.timing import Timeline

# A health answer is a few bytes; anything larger is not one.
_MAX_REPLY = 4096
_OPTIONS: tuple[tuple[str, Any], ...] = (
    # The judged address is the one connected to: no proxy from the environment,
    # no connection shared with another check, and one attempt (the monitor retries).
    ("grpc.enable_http_proxy", 0),
    ("grpc.use_local_subchannel_pool", 1),
    ("grpc.enable_retries", 0),
    ("grpc.max_receive_message_length", _MAX_REPLY),
    ("grpc.primary_user_agent", "upmon"),
)
# What the health protocol means by these codes (grpc/grpc doc/health-checking.md).
_MEANING = {
    "NOT_FOUND": " (the server does not know the service)",
    "UNIMPLEMENTED": " (the server has no health service)",
}
_TLS_WORDS = ("handshake failed", "ssl", "certificate", "hostname verification")
# The form of a service name: dotted package and service names ("" asks about the server).
ServiceName = Annotated[str, Meta(max_length=256, pattern=r"^[A-Za-z0-9_./-]*(?![\s\S])")]


class GrpcOptions(Options):
    # The service asked about; None or "" asks about the server as a whole (the
    # dashboard's form sends an empty field as None).
    service: ServiceName | None = None
    # TLS verified against the target's host name (with the executor's CAs); else plaintext.
    tls: bool = False


def rules(fields: Any, _spec: GrpcOptions | None) -> list[FieldError]:
    return errors("target", host_port_error(fields.target, port_required=True))


async def probe(
    ctx: ProbeContext, monitor: Any, spec: GrpcOptions | None, timeline: Timeline
) -> Outcome:
    from shared.probes.timing import now_ms

    # Before grpc's first import: its core logs each failed handshake on stderr, where
    # the executor's structured log goes; a failure is the check's result, not a log line.
    os.environ.setdefault("GRPC_VERBOSITY", "ERROR")
    spec = spec or GrpcOptions()
    host, port = host_port(monitor.target)
    started = now_ms()
    targets = _targets(await _resolve(host, port, timeline), port)
    for index, target in enumerate(targets):
        channel = _channel(ctx, target, host, port, spec.tls)
        try:
            ready = await _connect(channel, timeline)
            if not ready and index < len(targets) - 1:
                continue
            return await _check(channel, spec, ready, (host, port), started, timeline)
        finally:
            await channel.close()
    raise AssertionError("addr_infos returns at least one address")


async def _resolve(host: str, port: int, timeline: Timeline) -> list[Any]:
    from shared.probes.resolve import addr_infos, is_ip_literal

    if is_ip_literal(host):
        return await addr_infos(host, port)
    timeline.start("dns_ms")
    infos = await addr_infos(host, port)
    timeline.stop("dns_ms")
    return infos


def _targets(infos: list[Any], port: int) -> list[str]:
    """One grpc target per address family, in the order the families were answered:
    a grpc target lists addresses of one family only."""
    families: dict[str, list[str]] = {}
    for info in infos:
        address = info[4][0]
        if ":" in address:
            families.setdefault("ipv6", []).append(f"[{address}]:{port}")
        else:
            families.setdefault("ipv4", []).append(f"{address}:{port}")
    return [f"{scheme}:{','.join(dict.fromkeys(hosts))}" for scheme, hosts in families.items()]


def _channel(ctx: ProbeContext, target: str, host: str, port: int, tls: bool) -> grpc.aio.Channel:
    import grpc

    authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    options = [*_OPTIONS, ("grpc.default_authority", authority)]
    if not tls:
        return grpc.aio.insecure_channel(target, options=options)
    options.append(("grpc.ssl_target_name_override", host))
    return grpc.aio.secure_channel(target, _credentials(ctx.ssl_context), options=options)


async def _connect(channel: grpc.aio.Channel, timeline: Timeline) -> bool:
    """Until the channel is ready (True) or its connection attempt failed (False)."""
    from grpc import ChannelConnectivity as State

    timeline.start("connect_ms")
    state = channel.get_state(try_to_connect=True)
    while state not in (State.READY, State.TRANSIENT_FAILURE, State.SHUTDOWN):
        await channel.wait_for_state_change(state)
        state = channel.get_state()
    timeline.stop("connect_ms")
    return state is State.READY


async def _check(
    channel: grpc.aio.Channel,
    spec: GrpcOptions,
    ready: bool,
    where: tuple[str, int],
    started: float,
    timeline: Timeline,
) -> Outcome:
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    # On a failed channel the call fails at once, with the reason the connection failed.
    if ready:
        timeline.start("ttfb_ms")
    stub = health_pb2_grpc.HealthStub(channel)
    try:
        reply = await stub.Check(health_pb2.HealthCheckRequest(service=spec.service or ""))
    except grpc.aio.AioRpcError as exc:
        timeline.stop("ttfb_ms")
        kind, message = rpc_error(exc.code().name, exc.details() or "", *where)
        return _outcome(kind, message, started, timeline)
    timeline.stop("ttfb_ms")
    if reply.status != health_pb2.HealthCheckResponse.SERVING:
        status = health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
        message = f"{_subject(spec.service)} is {status}, not SERVING"
        return _outcome("expect", message, started, timeline)
    return _outcome(None, None, started, timeline)


def _subject(service: str | None) -> str:
    return f"service {service!r}" if service else "the server"


def rpc_error(code: str, details: str, host: str, port: int) -> tuple[str, str]:
    """error_kind and message for a failed Check call. grpc tells why a connection failed
    only in the text of its UNAVAILABLE status: 'failed to connect to all addresses;
    last error: UNKNOWN: ipv4:127.0.0.1:1: Failed to connect to remote host: ...'."""
    where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    # grpc closes some TLS reasons with the status of a step that went well.
    reason = details.rpartition(f":{port}: ")[2] or details
    reason = egress.excerpt(reason.removesuffix(": OK"), 200)
    if code != "UNAVAILABLE":
        message = f"Health/Check failed with {code}{_MEANING.get(code, '')}"
        return "grpc_status", f"{message}: {reason}" if reason else message
    lowered = details.lower()
    if "connection refused" in lowered:
        return "refused", f"connection refused by {where}"
    if any(word in lowered for word in _TLS_WORDS):
        return "tls", f"TLS failure with {where}: {reason}"
    return "connection", f"connection to {where} failed: {reason}"


def _outcome(kind: str | None, message: str | None, started: float, timeline: Timeline) -> Outcome:
    from shared.probes.outcome import Outcome
    from shared.probes.timing import ceil_us, now_ms

    return Outcome(
        status="up" if kind is None else "down",
        latency_ms=ceil_us(now_ms() - started),
        error_kind=kind,
        error=message,
        phases=timeline.phases(),
    )


@functools.lru_cache(maxsize=8)
def _credentials(trusted: ssl.SSLContext | None) -> grpc.ChannelCredentials:
    """grpc verifies with its own TLS library: it is given, as PEM, the CAs the other
    kinds trust (`trusted`, or the system's store), so a private CA works alike for all.
    A store read lazily from a folder lists nothing: grpc's own root set then."""
    import grpc

    source = trusted or ssl.create_default_context()
    pem = "".join(ssl.DER_cert_to_PEM_cert(der) for der in source.get_ca_certs(True))
    return grpc.ssl_channel_credentials(root_certificates=pem.encode() or None)


KIND = MonitorKind(
    name="grpc",
    title="gRPC health",
    options=GrpcOptions,
    target="host_port",
    target_example="api.example.com:50051",
    probe=probe,
    rules=rules,
    form=(
        FormField(
            "service",
            "Service",
            placeholder="grpc.health.v1.Health",
            help="Empty asks about the server as a whole",
        ),
        FormField("tls", "TLS", input="checkbox", help="Verified against the host name"),
    ),
    summary="Calls the standard grpc.health.v1 Health/Check; up when SERVING",
    error_kinds=frozenset({"expect", "grpc_status"}),
)
