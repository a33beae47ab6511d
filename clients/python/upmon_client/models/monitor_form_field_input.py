from enum import StrEnum


class MonitorFormFieldInput(StrEnum):
    CHECKBOX = "checkbox"
    LIST = "list"
    NUMBER = "number"
    PASSWORD = "password"
    SELECT = "select"
    TEXT = "text"
    TEXTAREA = "textarea"

    def __str__(self) -> str:
        return str(self.value)
