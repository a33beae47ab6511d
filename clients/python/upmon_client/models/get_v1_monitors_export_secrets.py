from enum import StrEnum


class GetV1MonitorsExportSecrets(StrEnum):
    INCLUDE = "include"
    MASK = "mask"

    def __str__(self) -> str:
        return str(self.value)
