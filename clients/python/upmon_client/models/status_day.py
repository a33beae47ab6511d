from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="StatusDay")


@_attrs_define
class StatusDay:
    """
    Attributes:
        date (datetime.date):
        uptime_pct (float | None):
        checks (int):
    """

    date: datetime.date
    uptime_pct: float | None
    checks: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        date = self.date.isoformat()

        uptime_pct: float | None
        uptime_pct = self.uptime_pct

        checks = self.checks

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "date": date,
                "uptime_pct": uptime_pct,
                "checks": checks,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        date = datetime.date.fromisoformat(d.pop("date"))

        def _parse_uptime_pct(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        uptime_pct = _parse_uptime_pct(d.pop("uptime_pct"))

        checks = d.pop("checks")

        status_day = cls(
            date=date,
            uptime_pct=uptime_pct,
            checks=checks,
        )

        status_day.additional_properties = d
        return status_day

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
