from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.queue_health_status import QueueHealthStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.failure import Failure


T = TypeVar("T", bound="QueueHealth")


@_attrs_define
class QueueHealth:
    """
    Attributes:
        status (QueueHealthStatus):
        pending (int | None):
        ack_pending (int | None):
        redelivered (int | None):
        dead_letters (int | None):
        scheduler_heartbeat_age_s (float | None):
        failing (list[Failure] | Unset):
    """

    status: QueueHealthStatus
    pending: int | None
    ack_pending: int | None
    redelivered: int | None
    dead_letters: int | None
    scheduler_heartbeat_age_s: float | None
    failing: list[Failure] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        pending: int | None
        pending = self.pending

        ack_pending: int | None
        ack_pending = self.ack_pending

        redelivered: int | None
        redelivered = self.redelivered

        dead_letters: int | None
        dead_letters = self.dead_letters

        scheduler_heartbeat_age_s: float | None
        scheduler_heartbeat_age_s = self.scheduler_heartbeat_age_s

        failing: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.failing, Unset):
            failing = []
            for failing_item_data in self.failing:
                failing_item = failing_item_data.to_dict()
                failing.append(failing_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "pending": pending,
                "ack_pending": ack_pending,
                "redelivered": redelivered,
                "dead_letters": dead_letters,
                "scheduler_heartbeat_age_s": scheduler_heartbeat_age_s,
            }
        )
        if failing is not UNSET:
            field_dict["failing"] = failing

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.failure import Failure  # noqa: PLC0415

        d = dict(src_dict)
        status = QueueHealthStatus(d.pop("status"))

        def _parse_pending(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        pending = _parse_pending(d.pop("pending"))

        def _parse_ack_pending(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        ack_pending = _parse_ack_pending(d.pop("ack_pending"))

        def _parse_redelivered(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        redelivered = _parse_redelivered(d.pop("redelivered"))

        def _parse_dead_letters(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        dead_letters = _parse_dead_letters(d.pop("dead_letters"))

        def _parse_scheduler_heartbeat_age_s(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        scheduler_heartbeat_age_s = _parse_scheduler_heartbeat_age_s(d.pop("scheduler_heartbeat_age_s"))

        _failing = d.pop("failing", UNSET)
        failing: list[Failure] | Unset = UNSET
        if _failing is not UNSET:
            failing = []
            for failing_item_data in _failing:
                failing_item = Failure.from_dict(failing_item_data)

                failing.append(failing_item)

        queue_health = cls(
            status=status,
            pending=pending,
            ack_pending=ack_pending,
            redelivered=redelivered,
            dead_letters=dead_letters,
            scheduler_heartbeat_age_s=scheduler_heartbeat_age_s,
            failing=failing,
        )

        queue_health.additional_properties = d
        return queue_health

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
