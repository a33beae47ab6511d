"""Check results as ClickHouse rows: the projection of the RESULTS stream."""

from __future__ import annotations

import msgspec

from shared.events import CheckResult

_encode = msgspec.json.Encoder().encode

COLUMNS = [
    "check_id",
    "monitor_id",
    "region",
    "scheduled_at",
    "checked_at",
    "status",
    "latency_ms",
    "http_status",
    "error_kind",
    "error",
    "dns_ms",
    "connect_ms",
    "tls_ms",
    "ttfb_ms",
    "transfer_ms",
    "cert_expires_at",
    "cert_issuer",
    "cert_subject",
    "details",
    "executor",
    "event_id",
]


def row(r: CheckResult) -> list[object]:
    p = r.phases
    return [
        r.check_id,
        r.monitor_id,
        r.region,
        r.scheduled_at,
        r.checked_at,
        r.status,
        r.latency_ms,
        r.http_status,
        r.error_kind,
        r.error,
        p.dns_ms,
        p.connect_ms,
        p.tls_ms,
        p.ttfb_ms,
        p.transfer_ms,
        r.cert_expires_at,
        r.cert_issuer,
        r.cert_subject,
        _details(r.details),
        r.executor,
        r.id,
    ]


def _details(details: dict) -> str:
    return _encode(details).decode() if details else ""
