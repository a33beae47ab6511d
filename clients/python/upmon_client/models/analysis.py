from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.analysis_by_metric import AnalysisByMetric
    from ..models.analysis_by_severity import AnalysisBySeverity
    from ..models.found_anomaly import FoundAnomaly


T = TypeVar("T", bound="Analysis")


@_attrs_define
class Analysis:
    """
    Attributes:
        monitors_analysed (int):
        regions_analysed (int):
        anomalies (list[FoundAnomaly]):
        by_metric (AnalysisByMetric):
        by_severity (AnalysisBySeverity):
        warnings (list[str]):
    """

    monitors_analysed: int
    regions_analysed: int
    anomalies: list[FoundAnomaly]
    by_metric: AnalysisByMetric
    by_severity: AnalysisBySeverity
    warnings: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        monitors_analysed = self.monitors_analysed

        regions_analysed = self.regions_analysed

        anomalies = []
        for anomalies_item_data in self.anomalies:
            anomalies_item = anomalies_item_data.to_dict()
            anomalies.append(anomalies_item)

        by_metric = self.by_metric.to_dict()

        by_severity = self.by_severity.to_dict()

        warnings = self.warnings

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "monitors_analysed": monitors_analysed,
                "regions_analysed": regions_analysed,
                "anomalies": anomalies,
                "by_metric": by_metric,
                "by_severity": by_severity,
                "warnings": warnings,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.analysis_by_metric import AnalysisByMetric  # noqa: PLC0415
        from ..models.analysis_by_severity import AnalysisBySeverity  # noqa: PLC0415
        from ..models.found_anomaly import FoundAnomaly  # noqa: PLC0415

        d = dict(src_dict)
        monitors_analysed = d.pop("monitors_analysed")

        regions_analysed = d.pop("regions_analysed")

        anomalies = []
        _anomalies = d.pop("anomalies")
        for anomalies_item_data in _anomalies:
            anomalies_item = FoundAnomaly.from_dict(anomalies_item_data)

            anomalies.append(anomalies_item)

        by_metric = AnalysisByMetric.from_dict(d.pop("by_metric"))

        by_severity = AnalysisBySeverity.from_dict(d.pop("by_severity"))

        warnings = cast(list[str], d.pop("warnings"))

        analysis = cls(
            monitors_analysed=monitors_analysed,
            regions_analysed=regions_analysed,
            anomalies=anomalies,
            by_metric=by_metric,
            by_severity=by_severity,
            warnings=warnings,
        )

        analysis.additional_properties = d
        return analysis

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
