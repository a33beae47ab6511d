"""The schedule in memory: which monitor is due next. Pure (no I/O), so the
timing rules are tested without a clock or a server."""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from services.scheduler.slots import phase_s, slot_at, slot_time
from shared.monitors import Monitor

# Slots per monitor issued after a stall, at most; older ones are skipped.
MAX_CATCHUP = 100


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
        # Monitors failing short of DOWN: checked at their retry_interval_s.
        self._failing: set[str] = set()

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
        same_timing = held is not None and self.interval(held) == self.interval(monitor)
        slot = self._next_slot[monitor.id] if same_timing else self._slot_at(monitor, now)
        self._push(monitor, slot)
        return True

    def interval(self, monitor: Monitor) -> float:
        if monitor.id in self._failing and monitor.retry_interval_s:
            return monitor.retry_interval_s
        return monitor.interval_s

    def set_failing(self, monitor_id: str, failing: bool, now: float) -> None:
        """Switch a monitor between its interval and its retry interval; the next
        check falls on the first slot of the new cadence after now."""
        monitor = self._monitors.get(monitor_id)
        before = self.interval(monitor) if monitor else None
        (self._failing.add if failing else self._failing.discard)(monitor_id)
        if monitor is not None and self.interval(monitor) != before:
            self._push(monitor, self._slot_at(monitor, now) + 1)

    def _slot_at(self, monitor: Monitor, t: float) -> int:
        interval = self.interval(monitor)
        return slot_at(t, interval, phase_s(monitor.id, interval))

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

    def recent(self, monitor_ids: set[str], since: float, now: float) -> list[Due]:
        """Slots of the given monitors due in (since, now], at most 100 each: what a
        replica taking over these monitors re-issues, since their previous owner
        may have died before publishing them (published ones are dropped as
        duplicates by the stream)."""
        due = []
        for mid in monitor_ids & self._monitors.keys():
            monitor = self._monitors[mid]
            interval = self.interval(monitor)
            phase = phase_s(mid, interval)
            last = self._slot_at(monitor, now)
            # Nothing from before this version of the monitor existed (or was resumed),
            # but always the current slot: its deadline is still ahead.
            start = max(since, monitor.updated_at.timestamp())
            first = min(max(slot_at(start, interval, phase) + 1, last - 99), last)
            for slot in range(first, last + 1):
                at = slot_time(slot, interval, phase)
                due.append(Due(monitor, slot, at, at + interval))
        return due

    def pop_due(self, now: float, limit: int = 10_000) -> list[Due]:
        """Every slot due at or before now, oldest first; each monitor's next slot is queued."""
        due: list[Due] = []
        while self._heap and self._heap[0][0] <= now and len(due) < limit:
            entry = heapq.heappop(self._heap)
            if not self._live(entry):
                continue
            monitor = self._monitors[entry[1]]
            slot = self._next_slot[monitor.id]
            interval = self.interval(monitor)
            at = entry[0]
            due.append(Due(monitor, slot, at, at + interval))
            # After a stall every slot is still issued (the executor records the stale
            # ones as missed, so history has no silent gap), but at most MAX_CATCHUP.
            self._push(monitor, max(slot + 1, self._slot_at(monitor, now) - MAX_CATCHUP))
        return due

    def _push(self, monitor: Monitor, slot: int) -> None:
        self._next_slot[monitor.id] = slot
        interval = self.interval(monitor)
        at = slot_time(slot, interval, phase_s(monitor.id, interval))
        heapq.heappush(self._heap, (at, monitor.id, (monitor.version, slot)))

    def _live(self, entry: tuple[float, str, tuple[int, int]]) -> bool:
        monitor = self._monitors.get(entry[1])
        if monitor is None:
            return False
        return entry[2] == (monitor.version, self._next_slot[monitor.id])
