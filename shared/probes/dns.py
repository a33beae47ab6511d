"""DNS checks: one query for one record type, its answer compared with the expected values."""

from __future__ import annotations

import asyncio
import ipaddress

import dns.asyncresolver
import dns.exception
import dns.name
import dns.nameserver
import dns.rdata
import dns.resolver
from dns.rdtypes.ANY.MX import MX
from dns.rdtypes.ANY.TXT import TXT
from dns.rdtypes.nsbase import NSBase

from shared import egress
from shared.kinds.base import host_port
from shared.kinds.dns import DnsSpec
from shared.monitors import Monitor
from shared.probes.errors import error_kind
from shared.probes.outcome import Outcome
from shared.probes.resolve import (
    addr_infos,
    allowed,
    is_invalid_name,
    is_ip_literal,
)
from shared.probes.timing import Timeline, ceil_us, now_ms

_DNS_PORT = 53


class _Failed(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


async def probe(monitor: Monitor, timeline: Timeline) -> Outcome:
    spec = monitor.dns or DnsSpec()
    details: dict[str, str | list[str]] = {"record_type": spec.record_type}
    started = now_ms()
    try:
        answers = await _answers(monitor, spec, timeline)
    except _Failed as failed:
        # A timeout has no latency to speak of; any other failure is an answer that came back.
        latency = None if failed.kind == "timeout" else ceil_us(now_ms() - started)
        return Outcome(
            status="down",
            latency_ms=latency,
            error_kind=failed.kind,
            error=failed.message,
            phases=timeline.phases(),
            details=details,
        )
    latency = ceil_us(now_ms() - started)
    details["answers"] = answers
    error = mismatch(spec, monitor.target, answers)
    return Outcome(
        status="down" if error else "up",
        latency_ms=latency,
        error_kind="dns_mismatch" if error else None,
        error=error,
        phases=timeline.phases(),
        details=details,
    )


async def _answers(monitor: Monitor, spec: DnsSpec, timeline: Timeline) -> list[str]:
    if is_invalid_name(monitor.target):
        # RFC 6761 asks resolver libraries to answer `.invalid` themselves.
        raise _Failed("nxdomain", f"{_shown(monitor.target)} does not exist (NXDOMAIN)")
    try:
        # Shorter than the monitor's deadline, so this message wins over the generic one.
        async with asyncio.timeout(_budget(monitor.timeout_s)):
            resolver = await _resolver(spec.resolver)
            timeline.start("dns_ms")
            answer = await resolver.resolve(
                dns.name.from_text(monitor.target), spec.record_type, search=False
            )
            timeline.stop("dns_ms")
    except (TimeoutError, dns.exception.Timeout) as exc:
        raise _Failed("timeout", f"no DNS answer within {monitor.timeout_s:g} s") from exc
    except dns.exception.DNSException as exc:
        raise _Failed(*_failure(exc, monitor.target, spec.record_type)) from exc
    return sorted(answer_text(rdata) for rdata in answer)


def _budget(timeout_s: float) -> float:
    return timeout_s - min(0.05, timeout_s / 10)


async def _resolver(address: str | None) -> dns.asyncresolver.Resolver:
    if address is None:
        # Read on every check, so a changed resolv.conf is picked up without a restart.
        return dns.asyncresolver.Resolver(configure=True)
    host, port = host_port(address, _DNS_PORT)
    resolver = dns.asyncresolver.Resolver(configure=False)
    # Every address of a named resolver: dnspython moves on when one does not answer.
    ips = await _ips(host, port)
    resolver.nameservers = [dns.nameserver.Do53Nameserver(ip, port) for ip in ips]
    return resolver


async def _ips(host: str, port: int) -> list[str]:
    if is_ip_literal(host):
        return [allowed(host, port)]
    try:
        infos = await addr_infos(host, port)
    except egress.EgressDenied:
        raise
    except OSError as exc:
        raise _Failed(error_kind(exc), f"could not resolve the resolver {host}: {exc}") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _failure(exc: dns.exception.DNSException, target: str, record_type: str) -> tuple[str, str]:
    name = _shown(target)
    if isinstance(exc, dns.resolver.NXDOMAIN):
        return "nxdomain", f"{name} does not exist (NXDOMAIN)"
    if isinstance(exc, dns.resolver.NoAnswer):
        return "no_answer", f"{name} exists but has no {record_type} record"
    if isinstance(exc, dns.resolver.NoNameservers):
        return _server_failure(exc, name)
    if isinstance(exc, dns.resolver.NoResolverConfiguration):
        return "dns", "this executor has no DNS resolver configured"
    return "dns", f"DNS query for {name} failed: {exc}"


def _server_failure(exc: dns.resolver.NoNameservers, name: str) -> tuple[str, str]:
    errors = exc.kwargs.get("errors") or []
    if not errors:
        return "servfail", f"no resolver could answer for {name}"
    server, _tcp, _port, error, _response = errors[-1]
    if isinstance(error, OSError):
        return error_kind(error), f"resolver {server} failed for {name}: {error}"
    if isinstance(error, str):
        # A rcode: the server answered, but with a refusal or its own failure.
        return "servfail", f"resolver {server} answered {error} for {name}"
    return "servfail", f"resolver {server} gave an unusable answer for {name}: {error}"


def answer_text(rdata: dns.rdata.Rdata) -> str:
    """One record as people write it: TXT strings joined, names without the root dot."""
    if isinstance(rdata, TXT):
        return b"".join(rdata.strings).decode("utf-8", errors="replace")
    if isinstance(rdata, MX):
        return f"{rdata.preference} {rdata.exchange.to_text(omit_final_dot=True)}"
    if isinstance(rdata, NSBase):
        return rdata.target.to_text(omit_final_dot=True)
    return rdata.to_text()


def mismatch(spec: DnsSpec, target: str, answers: list[str]) -> str | None:
    """Why the answer falls short of `expected`, or None when every value is in it."""
    found: set[str] = set()
    for answer in answers:
        found |= _forms(spec.record_type, answer)
    missing = [v for v in spec.expected if _normal(spec.record_type, v) not in found]
    if not missing:
        return None
    return (
        f"{spec.record_type} answer for {_shown(target)} lacks {', '.join(missing)}: "
        f"expected [{', '.join(spec.expected)}], got [{', '.join(answers)}]"
    )


def _forms(record_type: str, answer: str) -> set[str]:
    normal = _normal(record_type, answer)
    if record_type == "MX":
        # An expected MX may name the exchange alone, without its preference.
        return {normal, normal.partition(" ")[2]}
    return {normal}


def _normal(record_type: str, value: str) -> str:
    if record_type == "TXT":
        return value.lower()
    text = " ".join(value.split()).lower().rstrip(".")
    if record_type in ("A", "AAAA"):
        try:
            return str(ipaddress.ip_address(text))
        except ValueError:
            return text
    return text


def _shown(target: str) -> str:
    return target.rstrip(".") or target
