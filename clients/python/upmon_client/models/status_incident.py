from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="StatusIncident")


@_attrs_define
class StatusIncident:
    """
    Attributes:
        id (str):
        monitor_id (str):
        monitor_name (str):
        status (str):
        opened_at (str):
        duration_s (float):
    """

    id: str
    monitor_id: str
    monitor_name: str
    status: str
    opened_at: str
    duration_s: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        monitor_id = self.monitor_id

        monitor_name = self.monitor_name

        status = self.status

        opened_at = self.opened_at

        duration_s = self.duration_s

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "monitor_id": monitor_id,
                "monitor_name": monitor_name,
                "status": status,
                "opened_at": opened_at,
                "duration_s": duration_s,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        monitor_id = d.pop("monitor_id")

        monitor_name = d.pop("monitor_name")

        status = d.pop("status")

        opened_at = d.pop("opened_at")

        duration_s = d.pop("duration_s")

        status_incident = cls(
            id=id,
            monitor_id=monitor_id,
            monitor_name=monitor_name,
            status=status,
            opened_at=opened_at,
            duration_s=duration_s,
        )

        status_incident.additional_properties = d
        return status_incident

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
