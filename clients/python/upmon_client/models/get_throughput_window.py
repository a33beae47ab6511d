from enum import StrEnum


class GetThroughputWindow(StrEnum):
    VALUE_0 = "1h"
    VALUE_1 = "24h"

    def __str__(self) -> str:
        return str(self.value)
