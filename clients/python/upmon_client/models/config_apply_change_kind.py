from enum import StrEnum


class ConfigApplyChangeKind(StrEnum):
    CHANNEL = "channel"
    MAINTENANCE = "maintenance"
    MONITOR = "monitor"
    STATUS_PAGE = "status_page"

    def __str__(self) -> str:
        return str(self.value)
