from enum import StrEnum


class IncidentResolvedType(StrEnum):
    INCIDENT_RESOLVED = "incident.resolved"

    def __str__(self) -> str:
        return str(self.value)
