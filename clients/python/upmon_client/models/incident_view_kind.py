from enum import StrEnum


class IncidentViewKind(StrEnum):
    ANOMALY = "anomaly"
    DOWN = "down"

    def __str__(self) -> str:
        return str(self.value)
