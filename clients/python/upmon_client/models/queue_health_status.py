from enum import StrEnum


class QueueHealthStatus(StrEnum):
    OK = "ok"
    UNHEALTHY = "unhealthy"

    def __str__(self) -> str:
        return str(self.value)
