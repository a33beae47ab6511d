"""Create-time egress check: literal addresses and denied names in a monitor or channel
are refused with 422 naming the field. Names are not resolved here (that would block);
the executor and notifier judge every resolved address again when they connect."""

from __future__ import annotations

import functools
from typing import Any

from shared import egress
from shared.config import Settings
from shared.monitors import FieldError, MonitorFields, host_port

_DNS_PORT = 53


@functools.lru_cache(maxsize=4)
def policy_of(settings: Settings) -> egress.Policy:
    return egress.from_settings(settings)


def monitor_errors(policy: egress.Policy, fields: MonitorFields) -> list[FieldError]:
    errors = []
    verdict = _target_verdict(policy, fields)
    if not verdict.allowed:
        errors.append(FieldError("target", f"egress denied: {verdict.reason}"))
    resolver = fields.dns.resolver if fields.kind == "dns" and fields.dns else None
    if resolver:
        verdict = _host_port_verdict(policy, resolver, _DNS_PORT)
        if not verdict.allowed:
            errors.append(FieldError("dns.resolver", f"egress denied: {verdict.reason}"))
    return errors


def _target_verdict(policy: egress.Policy, fields: MonitorFields) -> egress.Verdict:
    if fields.kind == "http":
        return egress.check_url(policy, fields.target)
    if fields.kind in ("tcp", "tls"):
        return _host_port_verdict(policy, fields.target, 443 if fields.kind == "tls" else None)
    if fields.kind == "ping":
        return egress.check_host(policy, fields.target, None)
    return egress.ALLOWED  # a dns target is a name to ask about, not a place to connect to


def _host_port_verdict(policy: egress.Policy, target: str, default: int | None) -> egress.Verdict:
    try:
        host, port = host_port(target, default)
    except ValueError:
        return egress.ALLOWED  # the schema reports a malformed target
    return egress.check_host(policy, host, port)


def channel_errors(policy: egress.Policy, config: dict[str, Any]) -> list[FieldError]:
    """Every URL a channel's config holds, and an email relay's host and port."""
    errors = []
    for name, value in config.items():
        if isinstance(value, str) and value.lower().startswith(("http://", "https://")):
            verdict = egress.check_url(policy, value)
            if not verdict.allowed:
                errors.append(FieldError(f"config.{name}", f"egress denied: {verdict.reason}"))
    host, port = config.get("host"), config.get("port")
    if isinstance(host, str) and isinstance(port, int):
        verdict = egress.check_host(policy, host, port)
        if not verdict.allowed:
            errors.append(FieldError("config.host", f"egress denied: {verdict.reason}"))
    return errors
