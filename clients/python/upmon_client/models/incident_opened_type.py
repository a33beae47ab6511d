from enum import StrEnum


class IncidentOpenedType(StrEnum):
    INCIDENT_OPENED = "incident.opened"

    def __str__(self) -> str:
        return str(self.value)
