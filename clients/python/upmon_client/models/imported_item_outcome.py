from enum import StrEnum


class ImportedItemOutcome(StrEnum):
    CREATED = "created"
    NOT_MAPPABLE = "not mappable"
    WOULD_BE_CREATED = "would be created"

    def __str__(self) -> str:
        return str(self.value)
