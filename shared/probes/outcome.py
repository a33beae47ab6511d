"""What one check concluded, before the executor wraps it into a CheckResult event."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

from shared.events import Phases
from shared.kinds import REGISTRY

OutcomeStatus = Literal["up", "down", "degraded", "missed"]

# The stable error_kind taxonomy: dashboards and alert rules group on these names. The
# common ones are here; each kind adds its own (shared/kinds).
_COMMON_KINDS = frozenset(
    {
        "timeout",
        "egress_denied",
        "dns",
        "refused",
        "connection",
        "tls",
        "unsupported",
        # The check ran too late after its due time to mean anything.
        "missed",
        # The monitor's credentials are sealed with a key this executor does not hold.
        "secret_key",
    }
)
ERROR_KINDS: frozenset[str] = _COMMON_KINDS.union(*(k.error_kinds for k in REGISTRY.values()))


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
