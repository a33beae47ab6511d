from enum import StrEnum


class ListMonitorRunsOutcome(StrEnum):
    FAILURE = "failure"
    LOG = "log"
    MISSED = "missed"
    SUCCESS = "success"

    def __str__(self) -> str:
        return str(self.value)
