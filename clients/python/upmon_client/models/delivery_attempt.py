from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.delivery_attempt_outcome import DeliveryAttemptOutcome

T = TypeVar("T", bound="DeliveryAttempt")


@_attrs_define
class DeliveryAttempt:
    """
    Attributes:
        delivery_id (str):
        channel_id (str):
        event (str):
        attempt (int):
        outcome (DeliveryAttemptOutcome):
        status_code (int | None):
        error (None | str):
        at (str):
    """

    delivery_id: str
    channel_id: str
    event: str
    attempt: int
    outcome: DeliveryAttemptOutcome
    status_code: int | None
    error: None | str
    at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        delivery_id = self.delivery_id

        channel_id = self.channel_id

        event = self.event

        attempt = self.attempt

        outcome = self.outcome.value

        status_code: int | None
        status_code = self.status_code

        error: None | str
        error = self.error

        at = self.at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "delivery_id": delivery_id,
                "channel_id": channel_id,
                "event": event,
                "attempt": attempt,
                "outcome": outcome,
                "status_code": status_code,
                "error": error,
                "at": at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        delivery_id = d.pop("delivery_id")

        channel_id = d.pop("channel_id")

        event = d.pop("event")

        attempt = d.pop("attempt")

        outcome = DeliveryAttemptOutcome(d.pop("outcome"))

        def _parse_status_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        status_code = _parse_status_code(d.pop("status_code"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        at = d.pop("at")

        delivery_attempt = cls(
            delivery_id=delivery_id,
            channel_id=channel_id,
            event=event,
            attempt=attempt,
            outcome=outcome,
            status_code=status_code,
            error=error,
            at=at,
        )

        delivery_attempt.additional_properties = d
        return delivery_attempt

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
