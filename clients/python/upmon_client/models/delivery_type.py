from enum import StrEnum


class DeliveryType(StrEnum):
    NOTIFY_DELIVERY = "notify.delivery"

    def __str__(self) -> str:
        return str(self.value)
