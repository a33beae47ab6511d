"""Phase timings measured on the live request, not estimated from the total."""

from __future__ import annotations

import math
import time
from contextvars import ContextVar

from shared.events import Phases

_PHASES = ("dns_ms", "connect_ms", "tls_ms", "ttfb_ms", "transfer_ms")

_STAGES = {
    "dns_ms": "while resolving the host name",
    "connect_ms": "while connecting",
    "tls_ms": "during the TLS handshake",
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
        # Sum of _totals: what a phase opened earlier has to leave out when it stops.
        self._timed = 0.0
        self._open: dict[str, tuple[float, float]] = {}
        self.waiting: str | None = None

    def start(self, phase: str) -> None:
        self._open[phase] = (now_ms(), self._timed)
        self.waiting = None

    def stop(self, phase: str) -> None:
        opened = self._open.pop(phase, None)
        if opened is None:
            return
        began, timed_before = opened
        elapsed = max(0.0, now_ms() - began - (self._timed - timed_before))
        self._totals[phase] = self._totals.get(phase, 0.0) + elapsed
        self._timed += elapsed

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


class _Untimed(Timeline):
    """Stands in when no check is being timed, so the connector needs no special case."""

    def start(self, phase: str) -> None:
        pass

    def stop(self, phase: str) -> None:
        pass


_UNTIMED = _Untimed()
# The Timeline of the check running in this task. The connector, the resolver and the
# response class read it here: aiohttp's request tracing would add about a tenth to the
# CPU each check costs.
current: ContextVar[Timeline | None] = ContextVar("timeline", default=None)


def active() -> Timeline:
    return current.get() or _UNTIMED
