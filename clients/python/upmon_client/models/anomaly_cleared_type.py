from enum import StrEnum


class AnomalyClearedType(StrEnum):
    ANOMALY_CLEARED = "anomaly.cleared"

    def __str__(self) -> str:
        return str(self.value)
