from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AnomalyRef")


@_attrs_define
class AnomalyRef:
    """What an anomaly is about: a metric of one region against its own baseline.

    Attributes:
        region (str):
        metric (str):
        current (float):
        baseline (float):
        severity (str):
        deviation (float):
        seasonality (str | Unset):  Default: ''.
    """

    region: str
    metric: str
    current: float
    baseline: float
    severity: str
    deviation: float
    seasonality: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        region = self.region

        metric = self.metric

        current = self.current

        baseline = self.baseline

        severity = self.severity

        deviation = self.deviation

        seasonality = self.seasonality

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "region": region,
                "metric": metric,
                "current": current,
                "baseline": baseline,
                "severity": severity,
                "deviation": deviation,
            }
        )
        if seasonality is not UNSET:
            field_dict["seasonality"] = seasonality

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        region = d.pop("region")

        metric = d.pop("metric")

        current = d.pop("current")

        baseline = d.pop("baseline")

        severity = d.pop("severity")

        deviation = d.pop("deviation")

        seasonality = d.pop("seasonality", UNSET)

        anomaly_ref = cls(
            region=region,
            metric=metric,
            current=current,
            baseline=baseline,
            severity=severity,
            deviation=deviation,
            seasonality=seasonality,
        )

        anomaly_ref.additional_properties = d
        return anomaly_ref

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
