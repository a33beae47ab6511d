from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.monitor_summary_kind import MonitorSummaryKind
from ..models.monitor_summary_status import MonitorSummaryStatus

T = TypeVar("T", bound="MonitorSummary")


@_attrs_define
class MonitorSummary:
    """
    Attributes:
        id (str):
        name (str):
        kind (MonitorSummaryKind):
        target (str):
        tags (list[str]):
        interval_s (int):
        status (MonitorSummaryStatus):
        last_checked_at (None | str):
        uptime_pct (float | None):
        checks (int):
        latency_avg_ms (float | None):
        hourly_uptime_pct (list[float | None]):
        hourly_checks (list[int]):
    """

    id: str
    name: str
    kind: MonitorSummaryKind
    target: str
    tags: list[str]
    interval_s: int
    status: MonitorSummaryStatus
    last_checked_at: None | str
    uptime_pct: float | None
    checks: int
    latency_avg_ms: float | None
    hourly_uptime_pct: list[float | None]
    hourly_checks: list[int]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        kind = self.kind.value

        target = self.target

        tags = self.tags

        interval_s = self.interval_s

        status = self.status.value

        last_checked_at: None | str
        last_checked_at = self.last_checked_at

        uptime_pct: float | None
        uptime_pct = self.uptime_pct

        checks = self.checks

        latency_avg_ms: float | None
        latency_avg_ms = self.latency_avg_ms

        hourly_uptime_pct = []
        for hourly_uptime_pct_item_data in self.hourly_uptime_pct:
            hourly_uptime_pct_item: float | None
            hourly_uptime_pct_item = hourly_uptime_pct_item_data
            hourly_uptime_pct.append(hourly_uptime_pct_item)

        hourly_checks = self.hourly_checks

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "kind": kind,
                "target": target,
                "tags": tags,
                "interval_s": interval_s,
                "status": status,
                "last_checked_at": last_checked_at,
                "uptime_pct": uptime_pct,
                "checks": checks,
                "latency_avg_ms": latency_avg_ms,
                "hourly_uptime_pct": hourly_uptime_pct,
                "hourly_checks": hourly_checks,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        kind = MonitorSummaryKind(d.pop("kind"))

        target = d.pop("target")

        tags = cast(list[str], d.pop("tags"))

        interval_s = d.pop("interval_s")

        status = MonitorSummaryStatus(d.pop("status"))

        def _parse_last_checked_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_checked_at = _parse_last_checked_at(d.pop("last_checked_at"))

        def _parse_uptime_pct(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        uptime_pct = _parse_uptime_pct(d.pop("uptime_pct"))

        checks = d.pop("checks")

        def _parse_latency_avg_ms(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        latency_avg_ms = _parse_latency_avg_ms(d.pop("latency_avg_ms"))

        hourly_uptime_pct = []
        _hourly_uptime_pct = d.pop("hourly_uptime_pct")
        for hourly_uptime_pct_item_data in _hourly_uptime_pct:

            def _parse_hourly_uptime_pct_item(data: object) -> float | None:
                if data is None:
                    return data
                return cast(float | None, data)

            hourly_uptime_pct_item = _parse_hourly_uptime_pct_item(hourly_uptime_pct_item_data)

            hourly_uptime_pct.append(hourly_uptime_pct_item)

        hourly_checks = cast(list[int], d.pop("hourly_checks"))

        monitor_summary = cls(
            id=id,
            name=name,
            kind=kind,
            target=target,
            tags=tags,
            interval_s=interval_s,
            status=status,
            last_checked_at=last_checked_at,
            uptime_pct=uptime_pct,
            checks=checks,
            latency_avg_ms=latency_avg_ms,
            hourly_uptime_pct=hourly_uptime_pct,
            hourly_checks=hourly_checks,
        )

        monitor_summary.additional_properties = d
        return monitor_summary

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
