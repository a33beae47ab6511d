from enum import StrEnum


class MonitorTargetForm(StrEnum):
    ADDRESS = "address"
    HOST_PORT = "host_port"
    NAME = "name"
    NONE = "none"
    URL = "url"

    def __str__(self) -> str:
        return str(self.value)
