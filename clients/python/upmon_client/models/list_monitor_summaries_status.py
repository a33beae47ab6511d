from enum import StrEnum


class ListMonitorSummariesStatus(StrEnum):
    DEGRADED = "degraded"
    DOWN = "down"
    MAINTENANCE = "maintenance"
    PAUSED = "paused"
    PENDING = "pending"
    UNKNOWN = "unknown"
    UP = "up"

    def __str__(self) -> str:
        return str(self.value)
