from enum import StrEnum


class MonitorDeletedType(StrEnum):
    MONITOR_DELETED = "monitor.deleted"

    def __str__(self) -> str:
        return str(self.value)
