from enum import StrEnum


class MonitorUpsertedType(StrEnum):
    MONITOR_UPSERTED = "monitor.upserted"

    def __str__(self) -> str:
        return str(self.value)
