from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="FoundAnomaly")


@_attrs_define
class FoundAnomaly:
    """
    Attributes:
        monitor_id (str):
        monitor_name (str):
        region (str):
        metric (str):
        severity (str):
        current (float):
        baseline (float):
        deviation (float):
        seasonality (str):
    """

    monitor_id: str
    monitor_name: str
    region: str
    metric: str
    severity: str
    current: float
    baseline: float
    deviation: float
    seasonality: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        monitor_id = self.monitor_id

        monitor_name = self.monitor_name

        region = self.region

        metric = self.metric

        severity = self.severity

        current = self.current

        baseline = self.baseline

        deviation = self.deviation

        seasonality = self.seasonality

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "monitor_id": monitor_id,
                "monitor_name": monitor_name,
                "region": region,
                "metric": metric,
                "severity": severity,
                "current": current,
                "baseline": baseline,
                "deviation": deviation,
                "seasonality": seasonality,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        monitor_id = d.pop("monitor_id")

        monitor_name = d.pop("monitor_name")

        region = d.pop("region")

        metric = d.pop("metric")

        severity = d.pop("severity")

        current = d.pop("current")

        baseline = d.pop("baseline")

        deviation = d.pop("deviation")

        seasonality = d.pop("seasonality")

        found_anomaly = cls(
            monitor_id=monitor_id,
            monitor_name=monitor_name,
            region=region,
            metric=metric,
            severity=severity,
            current=current,
            baseline=baseline,
            deviation=deviation,
            seasonality=seasonality,
        )

        found_anomaly.additional_properties = d
        return found_anomaly

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
