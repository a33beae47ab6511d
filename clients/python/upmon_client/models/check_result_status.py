from enum import StrEnum


class CheckResultStatus(StrEnum):
    DEGRADED = "degraded"
    DOWN = "down"
    MISSED = "missed"
    UP = "up"

    def __str__(self) -> str:
        return str(self.value)
