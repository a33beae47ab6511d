from enum import StrEnum


class ExportMonitorsSecrets(StrEnum):
    INCLUDE = "include"
    MASK = "mask"

    def __str__(self) -> str:
        return str(self.value)
