from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ReplicaView")


@_attrs_define
class ReplicaView:
    """
    Attributes:
        id (str):
        cpu_pct (float):
        per_s (float):
    """

    id: str
    cpu_pct: float
    per_s: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        cpu_pct = self.cpu_pct

        per_s = self.per_s

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "cpu_pct": cpu_pct,
                "per_s": per_s,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        cpu_pct = d.pop("cpu_pct")

        per_s = d.pop("per_s")

        replica_view = cls(
            id=id,
            cpu_pct=cpu_pct,
            per_s=per_s,
        )

        replica_view.additional_properties = d
        return replica_view

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
