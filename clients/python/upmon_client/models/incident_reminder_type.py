from enum import StrEnum


class IncidentReminderType(StrEnum):
    INCIDENT_REMINDER = "incident.reminder"

    def __str__(self) -> str:
        return str(self.value)
