from enum import StrEnum


class CheckResultType(StrEnum):
    CHECK_RESULT = "check.result"

    def __str__(self) -> str:
        return str(self.value)
