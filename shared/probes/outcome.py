"""What one check concluded, before the executor wraps it into a CheckResult event."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

from shared.events import Phases

OutcomeStatus = Literal["up", "down", "degraded", "missed"]

# The stable error_kind taxonomy: dashboards and alert rules group on these names.
ERROR_KINDS: frozenset[str] = frozenset(
    {
        "timeout",
        "egress_denied",
        "dns",
        "refused",
        "connection",
        "tls",
        "http_status",
        "keyword",
        "regex",
        "too_many_redirects",
        "body_too_large",
        "assertion",
        "expect",
        "unsupported",
        "nxdomain",
        "servfail",
        "no_answer",
        "dns_mismatch",
        "cert_expired",
        "cert_invalid",
        "hostname_mismatch",
        "packet_loss",
        "missed",
        "heartbeat_missing",
        "heartbeat_late",
        # A job monitor's run started and outlived grace_s (or max_runtime_s).
        "run_overdue",
        "reported_down",
        # The monitor's credentials are sealed with a key this executor does not hold.
        "secret_key",
    }
)


class Outcome(msgspec.Struct, kw_only=True):
    status: OutcomeStatus
    latency_ms: float | None = None
    http_status: int | None = None
    error_kind: str | None = None
    error: str | None = None
    phases: Phases = msgspec.field(default_factory=Phases)
    cert_expires_at: datetime | None = None
    cert_issuer: str | None = None
    cert_subject: str | None = None
    details: dict[str, str | int | float | bool | list[str] | None] = {}


def unsupported(kind: str) -> Outcome:
    return Outcome(
        status="down",
        error_kind="unsupported",
        error=f"kind {kind} is not supported by this executor version",
    )
