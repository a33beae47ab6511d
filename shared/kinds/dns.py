"""DNS: one query for one record type, its answer compared with the expected values."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from msgspec import Meta

from shared.bounds import plain
from shared.kinds.base import (
    FieldError,
    FormField,
    MonitorKind,
    Options,
    ProbeContext,
    errors,
    host_port_error,
    is_hostname,
)

RecordType = Literal["A", "AAAA", "CNAME", "MX", "TXT", "NS"]
DNS_PORT = 53


class DnsSpec(Options, kw_only=True):
    record_type: RecordType = "A"
    # Values that must all be in the answer (any order); empty: any answer will do.
    expected: Annotated[list[Annotated[str, plain(1024)]], Meta(max_length=64)] = []
    # host or host:port of the resolver to ask; None: the system's.
    resolver: Annotated[str, plain(255, 1)] | None = None


def rules(fields: Any, spec: DnsSpec) -> list[FieldError]:
    found = errors("target", None if is_hostname(fields.target) else "must be a host name")
    if spec.resolver is not None:
        found.extend(errors("dns.resolver", host_port_error(spec.resolver, port_required=False)))
    if any(not v.strip() for v in spec.expected):
        found.append(FieldError("dns.expected", "values must not be empty"))
    return found


def resolver(spec: DnsSpec) -> list[tuple[str, str]]:
    return [("dns.resolver", spec.resolver)] if spec.resolver else []


async def probe(_ctx: ProbeContext, monitor: Any, _spec: DnsSpec, timeline: Any) -> Any:
    from shared.probes import dns

    return await dns.probe(monitor, timeline)


KIND = MonitorKind(
    name="dns",
    title="DNS",
    options=DnsSpec,
    target="name",
    target_example="example.com",
    default_port=DNS_PORT,
    probe=probe,
    rules=rules,
    extra_endpoints=resolver,
    summary="One query for one record type, the answer compared with expected values.",
    error_kinds=frozenset({"nxdomain", "servfail", "no_answer", "dns_mismatch"}),
    form=(
        FormField("record_type", "Record type", "select", choices=RecordType.__args__),
        FormField("expected", "Expected values", "list", help="Comma-separated; empty: any answer"),
        FormField("resolver", "Resolver", help="host or host:port; empty: the system's"),
    ),
)
