"""What a person reads in a notification, written once so every provider says the
same thing: which monitor, what failed and where, since when, and a link."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.channels.base import SendContext
from shared.events import Delivery

HEADLINES = {
    "monitor.down": "DOWN",
    "monitor.up": "UP",
    "monitor.reminder": "STILL DOWN",
    "anomaly.detected": "ANOMALY",
    "anomaly.cleared": "BACK TO NORMAL",
    "test": "TEST",
}
# Red, green, amber, blue: the colour of the state a message reports.
COLORS = {
    "monitor.down": 0xD93025,
    "monitor.up": 0x1E8E3E,
    "monitor.reminder": 0xF29900,
    "anomaly.detected": 0xF29900,
    "anomaly.cleared": 0x1E8E3E,
    "test": 0x1A73E8,
}
TEST_TEXT = "This is a test message from upmon: notifications to this channel work."


def title(d: Delivery) -> str:
    if d.event == "test":
        return "[upmon] TEST: notification channel check"
    return f"[upmon] {HEADLINES.get(d.event, d.event.upper())}: {d.monitor.name}"


def summary(d: Delivery) -> str:
    """One sentence saying what happened."""
    m = d.monitor
    if d.event == "test":
        return TEST_TEXT
    if d.anomaly is not None:
        return anomaly_summary(d)
    if d.event == "monitor.up":
        ago = _downtime(d)
        return f"{m.name} ({m.target}) is up again" + (f" after {ago}." if ago else ".")
    r = d.result
    state = "is still down" if d.event == "monitor.reminder" else "is down"
    where = f" from {r.region}" if r and r.region else ""
    why = f": {r.error}" if r and r.error else "."
    return f"{m.name} ({m.target}) {state}{where}{why}"


def anomaly_summary(d: Delivery) -> str:
    a, m = d.anomaly, d.monitor
    assert a is not None
    if a.metric == "failure_rate":
        what = f"fails {a.current:.1%} of its checks from {a.region}, usually {a.baseline:.1%}"
    else:
        label = "median" if a.metric == "latency_p50" else "p95"
        what = (
            f"answers in {a.current:.0f} ms ({label}) from {a.region},"
            f" usually {a.baseline:.0f} ms (x{a.deviation:g})"
        )
    if d.event == "anomaly.cleared":
        return f"{m.name} ({m.target}) is back to normal after an anomaly: it {what} at the time."
    return f"{m.name} ({m.target}) is still up but {what}: a {a.severity} anomaly."


def facts(d: Delivery) -> list[tuple[str, str]]:
    """(label, value) pairs, the same in every provider; empty facts are left out."""
    if d.event == "test":
        return [("Sent at", when(d.at))]
    m, r, i = d.monitor, d.result, d.incident
    rows = [("Monitor", m.name), ("Target", m.target), ("Check", m.kind)]
    if r is not None:
        rows += [
            ("Error", r.error or ""),
            ("HTTP status", str(r.http_status) if r.http_status is not None else ""),
            ("Region", r.region),
            ("Latency", f"{r.latency_ms:.0f} ms" if r.latency_ms is not None else ""),
        ]
    if d.anomaly is not None:
        a = d.anomaly
        rows += [
            ("Metric", a.metric),
            ("Region", a.region),
            ("Severity", a.severity),
            ("Baseline", f"{a.baseline:g}" + ("" if a.metric == "failure_rate" else " ms")),
        ]
        if i is not None:
            rows.append(("Since", when(i.opened_at)))
        return [(label, value) for label, value in rows if value]
    if i is not None:
        rows.append(("Down since", when(i.opened_at)))
        if i.resolved_at is not None:
            rows += [("Up since", when(i.resolved_at)), ("Downtime", _downtime(d))]
    return [(label, value) for label, value in rows if value]


def color(d: Delivery) -> int:
    return COLORS.get(d.event, COLORS["test"])


def link(d: Delivery, ctx: SendContext) -> str:
    base = ctx.public_url.rstrip("/")
    return f"{base}/" if d.event == "test" else f"{base}/monitors/{d.monitor.id}"


def plain(d: Delivery, ctx: SendContext) -> str:
    """The whole message as plain text: email, ntfy, Pushover, Opsgenie."""
    rows = "\n".join(f"{label}: {value}" for label, value in facts(d))
    return f"{summary(d)}\n\n{rows}\n\n{link(d, ctx)}\n"


def when(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def duration(seconds: float) -> str:
    left = max(0, round(seconds))
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if left >= size or (unit == "s" and not parts):
            parts.append(f"{left // size}{unit}")
            left %= size
    return " ".join(parts[:2])


def _downtime(d: Delivery) -> str:
    i = d.incident
    if i is None or i.resolved_at is None:
        return ""
    return duration((i.resolved_at - i.opened_at).total_seconds())


def clip(text: str, limit: int) -> str:
    """Providers cap field lengths and refuse longer ones; cut instead of failing."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
