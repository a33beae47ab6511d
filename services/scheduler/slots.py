"""Scheduling math, pure: when is each slot of a monitor due.

A monitor with interval I has slots k = 0, 1, 2, ... due at `phase + k * I`
(seconds since the epoch). The phase is a stable hash of the monitor id, so
monitors with the same interval spread over it instead of all firing at :00,
and every scheduler replica computes the same slots.
"""

from __future__ import annotations

import hashlib
import math


def phase_s(monitor_id: str, interval_s: float) -> float:
    digest = hashlib.blake2b(monitor_id.encode(), digest_size=8).digest()
    # Millisecond resolution is plenty and keeps phases exact in floats.
    return (int.from_bytes(digest, "big") % int(interval_s * 1000)) / 1000


def slot_at(t: float, interval_s: float, phase: float) -> int:
    """The latest slot due at or before `t`."""
    return math.floor((t - phase) / interval_s)


def slot_time(slot: int, interval_s: float, phase: float) -> float:
    return phase + slot * interval_s


def check_id(monitor_id: str, slot: int) -> str:
    return f"{monitor_id}:{slot}"
