"""Rendering the per-monitor gauges: labels escaped, one HELP/TYPE per family, no
`up` sample for monitors that have no answer yet."""

from __future__ import annotations

from datetime import UTC, datetime

from services.api.monitor_metrics import MonitorRow, RegionFacts, escape, render


def row(**kw) -> MonitorRow:
    base = dict(
        id="0b7c3c5e-0000-4000-8000-000000000001",
        name="shop",
        kind="http",
        tags=["b", "a"],
        regions=["eu", "us"],
        paused=False,
        region_status={"eu": "degraded"},
    )
    return MonitorRow(**{**base, **kw})


def test_escape_backslash_quote_and_newline():
    assert escape('a"b\\c\nd') == 'a\\"b\\\\c\\nd' and escape("plain") == "plain"


def test_families_samples_and_missing_answers():
    at = datetime(2027, 1, 1, tzinfo=UTC)
    facts = {
        (row().id, "eu"): RegionFacts(
            latency_ms=250, cert_expires_at=at, checks_24h=4, answered_24h=3
        )
    }
    text = render([row(), row(id="x", name='say "hi"', paused=True, regions=["eu"])], facts)
    lines = text.splitlines()
    eu = 'id="0b7c3c5e-0000-4000-8000-000000000001",name="shop",kind="http",region="eu",tags="a,b"'

    assert [line for line in lines if line.startswith("# TYPE")] == [
        f"# TYPE upmon_monitor_{n} gauge"
        for n in (
            "up",
            "status",
            "latency_seconds",
            "cert_expiry_timestamp_seconds",
            "uptime_24h_ratio",
        )
    ]
    assert f"upmon_monitor_up{{{eu}}} 1" in lines
    assert f'upmon_monitor_status{{{eu},status="degraded"}} 1' in lines
    assert f"upmon_monitor_latency_seconds{{{eu}}} 0.25" in lines
    assert f"upmon_monitor_cert_expiry_timestamp_seconds{{{eu}}} {at.timestamp()!r}" in lines
    assert f"upmon_monitor_uptime_24h_ratio{{{eu}}} 0.75" in lines
    # us has no state yet (pending), the second monitor is paused: no up sample for either.
    assert sum(1 for line in lines if line.startswith("upmon_monitor_up{")) == 1
    assert 'name="say \\"hi\\"",kind="http",region="eu",tags="a,b",status="paused"} 1' in text
