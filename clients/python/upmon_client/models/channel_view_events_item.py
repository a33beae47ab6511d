from enum import StrEnum


class ChannelViewEventsItem(StrEnum):
    ANOMALY = "anomaly"
    DOWN = "down"
    REMINDER = "reminder"
    UP = "up"

    def __str__(self) -> str:
        return str(self.value)
