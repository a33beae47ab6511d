from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.check_due_type import CheckDueType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.monitor import Monitor


T = TypeVar("T", bound="CheckDue")


@_attrs_define
class CheckDue:
    """
    Attributes:
        type_ (CheckDueType):
        check_id (str):
        monitor_id (str):
        region (str):
        slot (int):
        scheduled_at (str):
        deadline (str):
        monitor (Monitor): A stored monitor. `version` grows with every change so consumers can drop stale events.
        id (str | Unset):
        v (int | Unset):  Default: 1.
        at (str | Unset):
    """

    type_: CheckDueType
    check_id: str
    monitor_id: str
    region: str
    slot: int
    scheduled_at: str
    deadline: str
    monitor: Monitor
    id: str | Unset = UNSET
    v: int | Unset = 1
    at: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        check_id = self.check_id

        monitor_id = self.monitor_id

        region = self.region

        slot = self.slot

        scheduled_at = self.scheduled_at

        deadline = self.deadline

        monitor = self.monitor.to_dict()

        id = self.id

        v = self.v

        at = self.at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "check_id": check_id,
                "monitor_id": monitor_id,
                "region": region,
                "slot": slot,
                "scheduled_at": scheduled_at,
                "deadline": deadline,
                "monitor": monitor,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if v is not UNSET:
            field_dict["v"] = v
        if at is not UNSET:
            field_dict["at"] = at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.monitor import Monitor  # noqa: PLC0415

        d = dict(src_dict)
        type_ = CheckDueType(d.pop("type"))

        check_id = d.pop("check_id")

        monitor_id = d.pop("monitor_id")

        region = d.pop("region")

        slot = d.pop("slot")

        scheduled_at = d.pop("scheduled_at")

        deadline = d.pop("deadline")

        monitor = Monitor.from_dict(d.pop("monitor"))

        id = d.pop("id", UNSET)

        v = d.pop("v", UNSET)

        at = d.pop("at", UNSET)

        check_due = cls(
            type_=type_,
            check_id=check_id,
            monitor_id=monitor_id,
            region=region,
            slot=slot,
            scheduled_at=scheduled_at,
            deadline=deadline,
            monitor=monitor,
            id=id,
            v=v,
            at=at,
        )

        check_due.additional_properties = d
        return check_due

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
