"""Create-time egress check: literal addresses and denied names in a monitor or channel
are refused with 422 naming the field. Names are not resolved here (that would block);
the executor and notifier judge every resolved address again when they connect."""

from __future__ import annotations

import functools
from typing import Any

from shared import egress
from shared.config import Settings
from shared.kinds import REGISTRY, options_of
from shared.kinds.base import MonitorKind, host_port
from shared.monitors import FieldError, MonitorFields


@functools.lru_cache(maxsize=4)
def policy_of(settings: Settings) -> egress.Policy:
    return egress.from_settings(settings)


def monitor_errors(policy: egress.Policy, fields: MonitorFields) -> list[FieldError]:
    """The target (by the kind's target form) and any other place the kind connects to."""
    kind = REGISTRY[fields.kind]
    errors = []
    verdict = _target_verdict(policy, kind, fields.target)
    if not verdict.allowed:
        errors.append(FieldError("target", f"egress denied: {verdict.reason}"))
    for field, place in kind.extra_endpoints(options_of(fields)):
        verdict = _host_port_verdict(policy, place, kind.default_port)
        if not verdict.allowed:
            errors.append(FieldError(field, f"egress denied: {verdict.reason}"))
    return errors


def _target_verdict(policy: egress.Policy, kind: MonitorKind, target: str) -> egress.Verdict:
    if kind.target == "url":
        return egress.check_url(policy, target)
    if kind.target == "host_port":
        return _host_port_verdict(policy, target, kind.default_port)
    if kind.target == "address":
        return egress.check_host(policy, target, None)
    # A dns target is a name to ask about, not a place to connect to; a heartbeat has none.
    return egress.ALLOWED


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
