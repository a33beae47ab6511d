from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.anomaly_change_trend import AnomalyChangeTrend

T = TypeVar("T", bound="AnomalyChange")


@_attrs_define
class AnomalyChange:
    """
    Attributes:
        current (float | None):
        previous (float | None):
        change (float | None):
        change_pct (float | None):
        trend (AnomalyChangeTrend):
    """

    current: float | None
    previous: float | None
    change: float | None
    change_pct: float | None
    trend: AnomalyChangeTrend
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        current: float | None
        current = self.current

        previous: float | None
        previous = self.previous

        change: float | None
        change = self.change

        change_pct: float | None
        change_pct = self.change_pct

        trend = self.trend.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "current": current,
                "previous": previous,
                "change": change,
                "change_pct": change_pct,
                "trend": trend,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_current(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        current = _parse_current(d.pop("current"))

        def _parse_previous(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        previous = _parse_previous(d.pop("previous"))

        def _parse_change(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        change = _parse_change(d.pop("change"))

        def _parse_change_pct(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        change_pct = _parse_change_pct(d.pop("change_pct"))

        trend = AnomalyChangeTrend(d.pop("trend"))

        anomaly_change = cls(
            current=current,
            previous=previous,
            change=change,
            change_pct=change_pct,
            trend=trend,
        )

        anomaly_change.additional_properties = d
        return anomaly_change

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
