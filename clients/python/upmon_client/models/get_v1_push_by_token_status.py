from enum import StrEnum


class GetV1PushByTokenStatus(StrEnum):
    DOWN = "down"
    UP = "up"

    def __str__(self) -> str:
        return str(self.value)
