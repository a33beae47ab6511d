from enum import StrEnum


class PeerState(StrEnum):
    BEHIND = "behind"
    CAUGHT_UP = "caught_up"
    NOT_CURRENT = "not_current"
    OFFLINE = "offline"
    UNREACHABLE = "unreachable"

    def __str__(self) -> str:
        return str(self.value)
