from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="KindSeries")


@_attrs_define
class KindSeries:
    """
    Attributes:
        error_kind (str):
        points (list[list[int]]):
    """

    error_kind: str
    points: list[list[int]]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        error_kind = self.error_kind

        points = []
        for points_item_data in self.points:
            points_item = []
            for points_item_item_data in points_item_data:
                points_item_item: int
                points_item_item = points_item_item_data
                points_item.append(points_item_item)

            points.append(points_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "error_kind": error_kind,
                "points": points,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        error_kind = d.pop("error_kind")

        points = []
        _points = d.pop("points")
        for points_item_data in _points:
            points_item = []
            _points_item = points_item_data
            for points_item_item_data in _points_item:

                def _parse_points_item_item(data: object) -> int:
                    return cast(int, data)

                points_item_item = _parse_points_item_item(points_item_item_data)

                points_item.append(points_item_item)

            points.append(points_item)

        kind_series = cls(
            error_kind=error_kind,
            points=points,
        )

        kind_series.additional_properties = d
        return kind_series

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
