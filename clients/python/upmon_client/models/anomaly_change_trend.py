from enum import StrEnum


class AnomalyChangeTrend(StrEnum):
    DECREASING = "decreasing"
    INCREASING = "increasing"
    STABLE = "stable"

    def __str__(self) -> str:
        return str(self.value)
