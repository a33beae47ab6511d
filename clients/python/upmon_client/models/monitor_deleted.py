from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.monitor_deleted_type import MonitorDeletedType
from ..types import UNSET, Unset

T = TypeVar("T", bound="MonitorDeleted")


@_attrs_define
class MonitorDeleted:
    """
    Attributes:
        type_ (MonitorDeletedType):
        monitor_id (str):
        version (int):
        id (str | Unset):
        v (int | Unset):  Default: 1.
        at (str | Unset):
    """

    type_: MonitorDeletedType
    monitor_id: str
    version: int
    id: str | Unset = UNSET
    v: int | Unset = 1
    at: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        monitor_id = self.monitor_id

        version = self.version

        id = self.id

        v = self.v

        at = self.at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "monitor_id": monitor_id,
                "version": version,
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
        d = dict(src_dict)
        type_ = MonitorDeletedType(d.pop("type"))

        monitor_id = d.pop("monitor_id")

        version = d.pop("version")

        id = d.pop("id", UNSET)

        v = d.pop("v", UNSET)

        at = d.pop("at", UNSET)

        monitor_deleted = cls(
            type_=type_,
            monitor_id=monitor_id,
            version=version,
            id=id,
            v=v,
            at=at,
        )

        monitor_deleted.additional_properties = d
        return monitor_deleted

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
