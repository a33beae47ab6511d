"""Per-monitor gauges in the Prometheus text format, from rows already read.

One series set per monitor and region, with the labels Prometheus users filter on
(id, name, kind, region, tags). Pure: the store reads, this renders."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Statuses that answer the question "is it up" with yes; pending and paused have no
# answer yet, so their `up` series is left out rather than reported as down.
UP = frozenset({"up", "degraded"})
ANSWERED = UP | {"down"}

FAMILIES = (
    ("upmon_monitor_up", "1 when the monitor is up (or degraded) in the region, 0 when down."),
    ("upmon_monitor_status", "The monitor's status in the region as a label; the value is 1."),
    ("upmon_monitor_latency_seconds", "Latency of the last check in the region with one."),
    (
        "upmon_monitor_cert_expiry_timestamp_seconds",
        "When the certificate the last check saw expires (Unix time).",
    ),
    (
        "upmon_monitor_uptime_24h_ratio",
        "Share of the last 24 hours' checks in the region that were up or degraded.",
    ),
)


@dataclass(frozen=True)
class MonitorRow:
    id: str
    name: str
    kind: str
    tags: list[str]
    regions: list[str]
    paused: bool
    # Status per region as the notifier keeps it; absent regions are pending.
    region_status: dict[str, str]


@dataclass(frozen=True)
class RegionFacts:
    latency_ms: float | None = None
    cert_expires_at: datetime | None = None
    checks_24h: int = 0
    answered_24h: int = 0


def escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _labels(m: MonitorRow, region: str) -> str:
    tags = escape(",".join(sorted(m.tags)))
    return (
        f'id="{m.id}",name="{escape(m.name)}",kind="{m.kind}",region="{escape(region)}",'
        f'tags="{tags}"'
    )


def status_of(m: MonitorRow, region: str) -> str:
    return "paused" if m.paused else m.region_status.get(region, "pending")


def _number(value: float) -> str:
    return repr(float(value))


def series(m: MonitorRow, region: str, facts: RegionFacts | None) -> Iterable[tuple[str, str, str]]:
    """(family, labels, value) of one monitor in one region."""
    labels = _labels(m, region)
    status = status_of(m, region)
    if status in ANSWERED:
        yield "upmon_monitor_up", labels, "1" if status in UP else "0"
    yield "upmon_monitor_status", f'{labels},status="{status}"', "1"
    if facts is None:
        return
    if facts.latency_ms is not None:
        yield "upmon_monitor_latency_seconds", labels, _number(facts.latency_ms / 1000)
    if facts.cert_expires_at is not None:
        stamp = facts.cert_expires_at.timestamp()
        yield "upmon_monitor_cert_expiry_timestamp_seconds", labels, _number(stamp)
    if facts.checks_24h:
        ratio = facts.answered_24h / facts.checks_24h
        yield "upmon_monitor_uptime_24h_ratio", labels, _number(ratio)


def render(monitors: list[MonitorRow], facts: dict[tuple[str, str], RegionFacts]) -> str:
    """The exposition text: each family's HELP and TYPE once, then its samples."""
    by_family: dict[str, list[str]] = {name: [] for name, _ in FAMILIES}
    for m in monitors:
        for region in m.regions:
            for family, labels, value in series(m, region, facts.get((m.id, region))):
                by_family[family].append(f"{family}{{{labels}}} {value}\n")
    out: list[str] = []
    for name, help_text in FAMILIES:
        out.append(f"# HELP {name} {help_text}\n# TYPE {name} gauge\n")
        out.extend(by_family[name])
    return "".join(out)
