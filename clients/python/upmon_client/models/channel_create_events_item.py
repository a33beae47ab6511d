from enum import StrEnum


class ChannelCreateEventsItem(StrEnum):
    ANOMALY = "anomaly"
    DOWN = "down"
    REMINDER = "reminder"
    UP = "up"

    def __str__(self) -> str:
        return str(self.value)
