from enum import StrEnum


class PostV1PushByTokenStatus(StrEnum):
    DOWN = "down"
    UP = "up"

    def __str__(self) -> str:
        return str(self.value)
