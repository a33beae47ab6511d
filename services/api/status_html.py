"""The public status page as one self-contained HTML document: inline CSS, no
script and nothing fetched from elsewhere, so it works on a closed network and
under a Content-Security-Policy that allows nothing else.

Every text that comes from users (titles, monitor names) goes through `_e`."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from services.api.stores.status_pages import PublicStatus, StatusDay, StatusIncident, StatusMonitor

# The page header says no script may run, even if some text slipped through unescaped.
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}
REFRESH_S = 60

_OVERALL = {
    "up": "All systems operational",
    "degraded": "Degraded performance",
    "down": "Some systems are down",
    "maintenance": "Maintenance in progress",
    "unknown": "Status unknown",
}
_KNOWN = {"up", "down", "degraded", "maintenance", "paused", "pending"}

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1f2328}
main{max-width:860px;margin:0 auto;padding:24px 16px}
h1{font-size:26px;margin:0 0 16px}h2{font-size:18px;margin:28px 0 8px}
.overall{padding:14px 18px;border-radius:8px;color:#fff;font-weight:600;margin:0}
.monitor{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:12px 16px;margin:8px 0}
.monitor header{display:flex;gap:12px;align-items:baseline;flex-wrap:wrap}
.monitor h3{font-size:16px;margin:0;flex:1}
.state{font-size:12px;font-weight:600;text-transform:uppercase;color:#fff;
 padding:2px 8px;border-radius:10px}
.uptime{color:#57606a;font-size:13px}
.bars{display:flex;gap:2px;height:32px;margin:10px 0 4px}
.bar{flex:1;border-radius:2px;background:#d0d7de}
.axis{display:flex;justify-content:space-between;color:#57606a;font-size:12px}
.s-up,.b-full{background:#2da44e}.b-minor{background:#8ed99b}.s-degraded,.b-partial{background:#d4a72c}
.s-down,.b-major{background:#cf222e}.s-maintenance{background:#0969da}
.s-paused,.s-pending,.s-unknown{background:#6e7781}
ul{padding-left:20px}footer{margin-top:32px;color:#57606a;font-size:12px}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _state(status: str) -> str:
    return status if status in _KNOWN else "unknown"


def _pct(value: float | None) -> str:
    return "no data" if value is None else f"{value:.2f}%"


def _level(day: StatusDay) -> str:
    if day.uptime_pct is None:
        return "none"
    if day.uptime_pct >= 99.9:
        return "full"
    if day.uptime_pct >= 99.0:
        return "minor"
    return "partial" if day.uptime_pct >= 95.0 else "major"


def _bar(day: StatusDay) -> str:
    label = f"{day.date.isoformat()}: {_pct(day.uptime_pct)} of {day.checks} checks"
    return f'<span class="bar b-{_level(day)}" title="{_e(label)}"></span>'


def _monitor(m: StatusMonitor) -> str:
    state = _state(m.status)
    return (
        '<article class="monitor"><header>'
        f"<h3>{_e(m.name)}</h3>"
        f'<span class="state s-{state}">{_e(state)}</span>'
        f'<span class="uptime">{_e(_pct(m.uptime_90d))} uptime, 90 days</span></header>'
        f'<div class="bars" role="img" aria-label="daily uptime, last {len(m.days)} days">'
        f"{''.join(_bar(d) for d in m.days)}</div>"
        f'<div class="axis"><span>{len(m.days)} days ago</span><span>today</span></div>'
        "</article>"
    )


def _incident(i: StatusIncident) -> str:
    opened = i.opened_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"<li><strong>{_e(i.monitor_name)}</strong>: {_e(i.status)} since {_e(opened)}</li>"


def _incidents(items: list[StatusIncident]) -> str:
    if not items:
        return "<p>No open incidents.</p>"
    return f"<ul>{''.join(_incident(i) for i in items)}</ul>"


def render(page: PublicStatus) -> str:
    overall = page.overall if page.overall in _OVERALL else "unknown"
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    monitors = "".join(_monitor(m) for m in page.monitors) or "<p>No monitors on this page.</p>"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="refresh" content="{REFRESH_S}">'
        f"<title>{_e(page.title)} status</title><style>{_CSS}</style></head><body><main>"
        f"<h1>{_e(page.title)}</h1>"
        f'<p class="overall s-{overall}">{_OVERALL[overall]}</p>'
        f"<h2>Monitors</h2>{monitors}"
        f"<h2>Open incidents</h2>{_incidents(page.incidents)}"
        f"<footer>Updated {now}</footer></main></body></html>"
    )
