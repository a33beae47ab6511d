from enum import StrEnum


class IncidentEscalatedType(StrEnum):
    INCIDENT_ESCALATED = "incident.escalated"

    def __str__(self) -> str:
        return str(self.value)
