from enum import StrEnum


class LeaderOrderAction(StrEnum):
    BALANCE = "balance"
    DRAIN = "drain"
    SHOW = "show"

    def __str__(self) -> str:
        return str(self.value)
