from enum import StrEnum


class UdpOptionsEncoding(StrEnum):
    HEX = "hex"
    TEXT = "text"

    def __str__(self) -> str:
        return str(self.value)
