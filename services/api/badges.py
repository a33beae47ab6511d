"""Badges as SVG in the flat style of shields.io: a grey label, a coloured message.

No font is available to measure text with, so widths come from a table of
Verdana 11px advances; a few pixels off only shifts the padding."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape as _escape

GREY = "#555"
GREEN = "#4c1"
LIGHT_GREEN = "#97ca00"
YELLOW = "#dfb317"
ORANGE = "#fe7d37"
RED = "#e05d44"
BLUE = "#007ec6"
LIGHT_GREY = "#9f9f9f"
STATUS_COLORS = {"up": GREEN, "degraded": YELLOW, "down": RED, "maintenance": BLUE}
# Lowest uptime (percent) that earns each colour, best first.
UPTIME_COLORS = ((99.9, GREEN), (99.0, LIGHT_GREEN), (95.0, YELLOW), (90.0, ORANGE))

_ADVANCE = {
    **dict.fromkeys("fijlrtI.,:;!|'()[] ", 3.9),
    **dict.fromkeys("mwMW%", 10.7),
    **dict.fromkeys("ABCDEFGHJKLNOPQRSTUVXYZ", 7.5),
}
_DEFAULT_ADVANCE = 6.9
_PAD = 10


def escape(text: str) -> str:
    return _escape(text, {'"': "&quot;"})


def text_width(text: str) -> int:
    return math.ceil(sum(_ADVANCE.get(c, _DEFAULT_ADVANCE) for c in text))


def status_color(status: str) -> str:
    return STATUS_COLORS.get(status, LIGHT_GREY)


def uptime_message(checks: int, answered: int) -> tuple[str, str]:
    """The message and its colour; rounded down, so 99.996% never shows as 100%."""
    if not checks:
        return "no data", LIGHT_GREY
    pct = math.floor(10_000 * answered / checks) / 100
    color = next((c for least, c in UPTIME_COLORS if pct >= least), RED)
    return f"{pct:g}%", color


def render(label: str, message: str, color: str) -> str:
    lw, mw = text_width(label) + _PAD, text_width(message) + _PAD
    width = lw + mw
    label, message, color = escape(label), escape(message), escape(color)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img"'
        f' aria-label="{label}: {message}"><title>{label}: {message}</title>'
        '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb"'
        ' stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#r)"><rect width="{lw}" height="20" fill="{GREY}"/>'
        f'<rect x="{lw}" width="{mw}" height="20" fill="{color}"/>'
        f'<rect width="{width}" height="20" fill="url(#s)"/></g>'
        '<g fill="#fff" text-anchor="middle"'
        ' font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">'
        f"{_text(lw / 2, label)}{_text(lw + mw / 2, message)}</g></svg>"
    )


def _text(x: float, text: str) -> str:
    # The dark copy one pixel lower is the shadow that keeps white text readable.
    return (
        f'<text x="{x:g}" y="15" fill="#010101" fill-opacity=".3">{text}</text>'
        f'<text x="{x:g}" y="14">{text}</text>'
    )
