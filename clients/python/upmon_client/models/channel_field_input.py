from enum import StrEnum


class ChannelFieldInput(StrEnum):
    EMAIL = "email"
    LIST = "list"
    NUMBER = "number"
    PASSWORD = "password"
    TEXT = "text"
    URL = "url"

    def __str__(self) -> str:
        return str(self.value)
