"""Per-monitor gauges in the Prometheus text format, from rows already read.

One series set per monitor and region, with the labels Prometheus users filter on
(id, name, kind, region, tags). Pure: the store reads, this renders."""

from __future__ import annotations

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
    if "\\" not in value and '"' not in value and "\n" not in value:
        return value
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def status_of(m: MonitorRow, region: str) -> str:
    return "paused" if m.paused else m.region_status.get(region, "pending")


def render(monitors: list[MonitorRow], facts: dict[tuple[str, str], RegionFacts]) -> str:
    """The exposition text: each family's HELP and TYPE once, then its samples.

    Written as one flat loop: at 10,000 monitors this is most of a scrape's CPU."""
    up: list[str] = []
    status: list[str] = []
    latency: list[str] = []
    cert: list[str] = []
    ratio: list[str] = []
    for m in monitors:
        # Ids are UUIDs, kinds and regions match fixed patterns: only name and tags
        # can hold characters that need escaping.
        head = f'{{id="{m.id}",name="{escape(m.name)}",kind="{m.kind}",region="'
        tail = f'",tags="{escape(",".join(sorted(m.tags)))}"'
        for region in m.regions:
            labels = head + region + tail
            state = status_of(m, region)
            if state in ANSWERED:
                up.append(f"upmon_monitor_up{labels}}} {1 if state in UP else 0}\n")
            status.append(f'upmon_monitor_status{labels},status="{state}"}} 1\n')
            known = facts.get((m.id, region))
            if known is None:
                continue
            if known.latency_ms is not None:
                latency.append(
                    f"upmon_monitor_latency_seconds{labels}}} {known.latency_ms / 1000!r}\n"
                )
            if known.cert_expires_at is not None:
                stamp = float(known.cert_expires_at.timestamp())
                cert.append(f"upmon_monitor_cert_expiry_timestamp_seconds{labels}}} {stamp!r}\n")
            if known.checks_24h:
                share = known.answered_24h / known.checks_24h
                ratio.append(f"upmon_monitor_uptime_24h_ratio{labels}}} {share!r}\n")
    out: list[str] = []
    for (name, help_text), lines in zip(FAMILIES, (up, status, latency, cert, ratio), strict=True):
        out.append(f"# HELP {name} {help_text}\n# TYPE {name} gauge\n")
        out.extend(lines)
    return "".join(out)
