from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.trends_window import TrendsWindow

if TYPE_CHECKING:
    from ..models.anomaly_change import AnomalyChange


T = TypeVar("T", bound="Trends")


@_attrs_define
class Trends:
    """
    Attributes:
        window (TrendsWindow):
        latency_p50_ms (AnomalyChange):
        latency_p95_ms (AnomalyChange):
        failure_rate (AnomalyChange):
        checks (AnomalyChange):
    """

    window: TrendsWindow
    latency_p50_ms: AnomalyChange
    latency_p95_ms: AnomalyChange
    failure_rate: AnomalyChange
    checks: AnomalyChange
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        window = self.window.value

        latency_p50_ms = self.latency_p50_ms.to_dict()

        latency_p95_ms = self.latency_p95_ms.to_dict()

        failure_rate = self.failure_rate.to_dict()

        checks = self.checks.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "window": window,
                "latency_p50_ms": latency_p50_ms,
                "latency_p95_ms": latency_p95_ms,
                "failure_rate": failure_rate,
                "checks": checks,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.anomaly_change import AnomalyChange  # noqa: PLC0415

        d = dict(src_dict)
        window = TrendsWindow(d.pop("window"))

        latency_p50_ms = AnomalyChange.from_dict(d.pop("latency_p50_ms"))

        latency_p95_ms = AnomalyChange.from_dict(d.pop("latency_p95_ms"))

        failure_rate = AnomalyChange.from_dict(d.pop("failure_rate"))

        checks = AnomalyChange.from_dict(d.pop("checks"))

        trends = cls(
            window=window,
            latency_p50_ms=latency_p50_ms,
            latency_p95_ms=latency_p95_ms,
            failure_rate=failure_rate,
            checks=checks,
        )

        trends.additional_properties = d
        return trends

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
