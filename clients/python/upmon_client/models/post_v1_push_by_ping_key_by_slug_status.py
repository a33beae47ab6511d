from enum import StrEnum


class PostV1PushByPingKeyBySlugStatus(StrEnum):
    DOWN = "down"
    UP = "up"

    def __str__(self) -> str:
        return str(self.value)
