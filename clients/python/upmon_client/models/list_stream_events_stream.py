from enum import StrEnum


class ListStreamEventsStream(StrEnum):
    CHECKS = "CHECKS"
    DLQ = "DLQ"
    INCIDENTS = "INCIDENTS"
    MONITORS = "MONITORS"
    NOTIFY = "NOTIFY"
    RESULTS = "RESULTS"

    def __str__(self) -> str:
        return str(self.value)
