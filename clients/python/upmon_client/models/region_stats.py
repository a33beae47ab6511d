from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.latency_stats import LatencyStats


T = TypeVar("T", bound="RegionStats")


@_attrs_define
class RegionStats:
    """
    Attributes:
        uptime_pct (float | None):
        checks (int):
        failures (int):
        latency_ms (LatencyStats):
    """

    uptime_pct: float | None
    checks: int
    failures: int
    latency_ms: LatencyStats
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        uptime_pct: float | None
        uptime_pct = self.uptime_pct

        checks = self.checks

        failures = self.failures

        latency_ms = self.latency_ms.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "uptime_pct": uptime_pct,
                "checks": checks,
                "failures": failures,
                "latency_ms": latency_ms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.latency_stats import LatencyStats  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_uptime_pct(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        uptime_pct = _parse_uptime_pct(d.pop("uptime_pct"))

        checks = d.pop("checks")

        failures = d.pop("failures")

        latency_ms = LatencyStats.from_dict(d.pop("latency_ms"))

        region_stats = cls(
            uptime_pct=uptime_pct,
            checks=checks,
            failures=failures,
            latency_ms=latency_ms,
        )

        region_stats.additional_properties = d
        return region_stats

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
