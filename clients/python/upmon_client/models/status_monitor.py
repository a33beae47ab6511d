from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.status_day import StatusDay


T = TypeVar("T", bound="StatusMonitor")


@_attrs_define
class StatusMonitor:
    """
    Attributes:
        id (str):
        name (str):
        status (str):
        uptime_90d (float | None):
        days (list[StatusDay]):
    """

    id: str
    name: str
    status: str
    uptime_90d: float | None
    days: list[StatusDay]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        status = self.status

        uptime_90d: float | None
        uptime_90d = self.uptime_90d

        days = []
        for days_item_data in self.days:
            days_item = days_item_data.to_dict()
            days.append(days_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "status": status,
                "uptime_90d": uptime_90d,
                "days": days,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.status_day import StatusDay  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        status = d.pop("status")

        def _parse_uptime_90d(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        uptime_90d = _parse_uptime_90d(d.pop("uptime_90d"))

        days = []
        _days = d.pop("days")
        for days_item_data in _days:
            days_item = StatusDay.from_dict(days_item_data)

            days.append(days_item)

        status_monitor = cls(
            id=id,
            name=name,
            status=status,
            uptime_90d=uptime_90d,
            days=days,
        )

        status_monitor.additional_properties = d
        return status_monitor

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
