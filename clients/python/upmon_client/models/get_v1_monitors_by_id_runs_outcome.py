from enum import StrEnum


class GetV1MonitorsByIdRunsOutcome(StrEnum):
    FAILURE = "failure"
    LOG = "log"
    MISSED = "missed"
    SUCCESS = "success"

    def __str__(self) -> str:
        return str(self.value)
