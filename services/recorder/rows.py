"""Check results and job runs as ClickHouse rows: the projection of the RESULTS stream."""

from __future__ import annotations

import msgspec

from shared.events import CheckResult, JobRun

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


RUN_COLUMNS = [
    "monitor_id",
    "ended_at",
    "event_id",
    "outcome",
    "started_at",
    "duration_s",
    "exit_code",
    "rid",
    "reason",
    "output",
    "late",
]


def run_row(r: JobRun) -> list[object]:
    return [
        r.monitor_id,
        r.ended_at,
        r.id,
        r.outcome,
        r.started_at,
        r.duration_s,
        r.exit_code,
        r.rid,
        r.reason,
        r.output,
        r.late,
    ]
