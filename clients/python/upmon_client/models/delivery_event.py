from enum import StrEnum


class DeliveryEvent(StrEnum):
    ANOMALY_CLEARED = "anomaly.cleared"
    ANOMALY_DETECTED = "anomaly.detected"
    MONITOR_DOWN = "monitor.down"
    MONITOR_REMINDER = "monitor.reminder"
    MONITOR_UP = "monitor.up"
    TEST = "test"

    def __str__(self) -> str:
        return str(self.value)
