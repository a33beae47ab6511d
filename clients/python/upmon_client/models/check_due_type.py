from enum import StrEnum


class CheckDueType(StrEnum):
    CHECK_DUE = "check.due"

    def __str__(self) -> str:
        return str(self.value)
