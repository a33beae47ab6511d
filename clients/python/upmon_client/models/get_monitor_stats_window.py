from enum import StrEnum


class GetMonitorStatsWindow(StrEnum):
    VALUE_0 = "1h"
    VALUE_1 = "24h"
    VALUE_2 = "30d"
    VALUE_3 = "7d"
    VALUE_4 = "90d"

    def __str__(self) -> str:
        return str(self.value)
