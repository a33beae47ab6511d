from enum import StrEnum


class ImportFromToolFrom(StrEnum):
    GATUS = "gatus"
    HEALTHCHECKS = "healthchecks"
    UPTIME_KUMA = "uptime-kuma"

    def __str__(self) -> str:
        return str(self.value)
