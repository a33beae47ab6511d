from enum import StrEnum


class GetV1MonitorsExportFormat(StrEnum):
    JSON = "json"
    YAML = "yaml"

    def __str__(self) -> str:
        return str(self.value)
