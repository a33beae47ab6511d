"""TLS: a verified handshake, then the certificate's identity and the time it has left."""

from __future__ import annotations

from typing import Annotated, Any

from msgspec import Meta

from shared.kinds.base import (
    FieldError,
    FormField,
    MonitorKind,
    Options,
    ProbeContext,
    errors,
    host_port_error,
)


class TlsSpec(Options, kw_only=True):
    # Degraded when the certificate expires within this many days.
    warn_days: Annotated[int, Meta(ge=0, le=3650)] = 14


def rules(fields: Any, _spec: TlsSpec) -> list[FieldError]:
    return errors("target", host_port_error(fields.target, port_required=False))


async def probe(ctx: ProbeContext, monitor: Any, _spec: TlsSpec, timeline: Any) -> Any:
    from shared.probes import tls

    return await tls.probe(monitor, timeline, ctx.ssl_context)


KIND = MonitorKind(
    name="tls",
    title="TLS certificate",
    options=TlsSpec,
    target="host_port",
    target_example="example.com:443",
    default_port=443,
    probe=probe,
    rules=rules,
    summary="A verified handshake; degraded as the certificate nears its expiry.",
    error_kinds=frozenset({"cert_expired", "cert_invalid", "hostname_mismatch"}),
    form=(FormField("warn_days", "Degraded when the certificate expires within (days)", "number"),),
)
