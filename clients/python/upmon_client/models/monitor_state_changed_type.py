from enum import StrEnum


class MonitorStateChangedType(StrEnum):
    MONITOR_STATE_CHANGED = "monitor.state_changed"

    def __str__(self) -> str:
        return str(self.value)
