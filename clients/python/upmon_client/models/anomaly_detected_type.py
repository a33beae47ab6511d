from enum import StrEnum


class AnomalyDetectedType(StrEnum):
    ANOMALY_DETECTED = "anomaly.detected"

    def __str__(self) -> str:
        return str(self.value)
