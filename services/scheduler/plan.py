"""The schedule in memory: which monitor is due next. Pure (no I/O), so the
timing rules are tested without a clock or a server."""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from services.scheduler.slots import phase_s, slot_at, slot_time
from shared.monitors import Monitor


@dataclass(frozen=True)
class Due:
    monitor: Monitor
    slot: int
    scheduled_at: float
    deadline: float


class Plan:
    def __init__(self) -> None:
        self._monitors: dict[str, Monitor] = {}
        self._next_slot: dict[str, int] = {}
        # (due time, monitor id, (version, slot)): stale heap entries are skipped on pop.
        self._heap: list[tuple[float, str, tuple[int, int]]] = []
        # Deleted monitors' last versions, so a late older upsert cannot revive one.
        self._deleted: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._monitors)

    def get(self, monitor_id: str) -> Monitor | None:
        return self._monitors.get(monitor_id)

    def ids(self) -> set[str]:
        return set(self._monitors)

    def upsert(self, monitor: Monitor, now: float) -> bool:
        """Add or replace a monitor; older versions than the one held are ignored.

        The first slot is the one already due (at or before now), so a new
        monitor is checked at once and a restarted scheduler re-issues its
        current slot, which the stream's duplicate window drops if published.
        """
        held = self._monitors.get(monitor.id)
        if held is not None and held.version >= monitor.version:
            return False
        if self._deleted.get(monitor.id, 0) >= monitor.version:
            return False
        if monitor.paused:
            self._drop(monitor.id)
            return True
        self._monitors[monitor.id] = monitor
        phase = phase_s(monitor.id, monitor.interval_s)
        same_timing = held is not None and held.interval_s == monitor.interval_s
        slot = (
            self._next_slot[monitor.id] if same_timing else slot_at(now, monitor.interval_s, phase)
        )
        self._push(monitor, slot)
        return True

    def remove(self, monitor_id: str, version: int) -> None:
        self._deleted[monitor_id] = max(version, self._deleted.get(monitor_id, 0))
        self._drop(monitor_id)

    def _drop(self, monitor_id: str) -> None:
        self._monitors.pop(monitor_id, None)
        self._next_slot.pop(monitor_id, None)

    def next_at(self) -> float | None:
        while self._heap and not self._live(self._heap[0]):
            heapq.heappop(self._heap)
        return self._heap[0][0] if self._heap else None

    def pop_due(self, now: float, limit: int = 10_000) -> list[Due]:
        """Every slot due at or before now, oldest first; each monitor's next slot is queued."""
        due: list[Due] = []
        while self._heap and self._heap[0][0] <= now and len(due) < limit:
            entry = heapq.heappop(self._heap)
            if not self._live(entry):
                continue
            monitor = self._monitors[entry[1]]
            slot = self._next_slot[monitor.id]
            phase = phase_s(monitor.id, monitor.interval_s)
            at = slot_time(slot, monitor.interval_s, phase)
            due.append(Due(monitor, slot, at, at + monitor.interval_s))
            # Never queue slots in the past: after a stall, skip to the current one.
            self._push(monitor, max(slot + 1, slot_at(now, monitor.interval_s, phase)))
        return due

    def _push(self, monitor: Monitor, slot: int) -> None:
        self._next_slot[monitor.id] = slot
        at = slot_time(slot, monitor.interval_s, phase_s(monitor.id, monitor.interval_s))
        heapq.heappush(self._heap, (at, monitor.id, (monitor.version, slot)))

    def _live(self, entry: tuple[float, str, tuple[int, int]]) -> bool:
        monitor = self._monitors.get(entry[1])
        if monitor is None:
            return False
        return entry[2] == (monitor.version, self._next_slot[monitor.id])
