from enum import StrEnum


class OutcomeAction(StrEnum):
    DISCARD = "discard"
    PURGE = "purge"
    RETRY = "retry"

    def __str__(self) -> str:
        return str(self.value)
