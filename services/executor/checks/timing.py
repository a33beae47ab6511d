"""Phase timings measured on the live request, not estimated from the total."""

from __future__ import annotations

import math
import time
from types import SimpleNamespace
from typing import Any

import aiohttp

from shared.events import Phases

_PHASES = ("dns_ms", "connect_ms", "tls_ms", "ttfb_ms", "transfer_ms")

_STAGES = {
    "dns_ms": "while resolving the host name",
    "connect_ms": "while connecting",
    "ttfb_ms": "while waiting for the response",
    "transfer_ms": "while reading the body",
}


def now_ms() -> float:
    return time.perf_counter() * 1000.0


def floor_us(ms: float) -> float:
    return math.floor(ms * 1000.0) / 1000.0


def ceil_us(ms: float) -> float:
    return math.ceil(ms * 1000.0) / 1000.0


class Timeline:
    """Accumulates phases of one check, across every redirect hop.

    A phase excludes any phase that ran inside it (DNS happens inside aiohttp's
    connection creation), so phases never overlap and their sum stays within the
    total latency.
    """

    def __init__(self) -> None:
        self._totals: dict[str, float] = {}
        self._open: dict[str, tuple[float, float]] = {}
        self.waiting: str | None = None

    def start(self, phase: str) -> None:
        self._open[phase] = (now_ms(), sum(self._totals.values()))
        self.waiting = None

    def stop(self, phase: str) -> None:
        opened = self._open.pop(phase, None)
        if opened is None:
            return
        began, nested_before = opened
        nested = sum(self._totals.values()) - nested_before
        elapsed = max(0.0, now_ms() - began - nested)
        self._totals[phase] = self._totals.get(phase, 0.0) + elapsed

    def stage(self) -> str | None:
        if self.waiting:
            return self.waiting
        if not self._open:
            return None
        latest = max(self._open, key=lambda phase: self._open[phase][0])
        return _STAGES.get(latest)

    def phases(self) -> Phases:
        # Floored so that rounding can never push the sum above the (ceiled) total.
        done = {name: floor_us(ms) for name, ms in self._totals.items() if name in _PHASES}
        return Phases(**done)


def _on(action: str, phase: str) -> Any:
    async def hook(_session: aiohttp.ClientSession, ctx: SimpleNamespace, _params: Any) -> None:
        timeline = ctx.trace_request_ctx
        if isinstance(timeline, Timeline):
            getattr(timeline, action)(phase)

    return hook


def trace_config() -> aiohttp.TraceConfig:
    """Hooks that feed the Timeline passed as `trace_request_ctx` to a request."""
    config = aiohttp.TraceConfig()
    config.on_dns_resolvehost_start.append(_on("start", "dns_ms"))
    config.on_dns_resolvehost_end.append(_on("stop", "dns_ms"))
    # aiohttp does TCP connect and TLS handshake in one call: connect_ms holds both.
    config.on_connection_create_start.append(_on("start", "connect_ms"))
    config.on_connection_create_end.append(_on("stop", "connect_ms"))
    config.on_request_headers_sent.append(_on("start", "ttfb_ms"))
    config.on_request_redirect.append(_on("stop", "ttfb_ms"))
    config.on_request_end.append(_on("stop", "ttfb_ms"))
    return config
