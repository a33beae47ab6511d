from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AnomalySpec")


@_attrs_define
class AnomalySpec:
    """The monitor field `anomaly`: documented defaults, per-monitor overrides.

    Attributes:
        enabled (bool | Unset):  Default: True.
        latency_factor (float | Unset):  Default: 1.5.
        min_consecutive (int | Unset):  Default: 3.
        min_samples (int | Unset):  Default: 200.
        failure_rate_pp (float | Unset):  Default: 5.0.
        min_runs (int | Unset):  Default: 10.
    """

    enabled: bool | Unset = True
    latency_factor: float | Unset = 1.5
    min_consecutive: int | Unset = 3
    min_samples: int | Unset = 200
    failure_rate_pp: float | Unset = 5.0
    min_runs: int | Unset = 10

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        latency_factor = self.latency_factor

        min_consecutive = self.min_consecutive

        min_samples = self.min_samples

        failure_rate_pp = self.failure_rate_pp

        min_runs = self.min_runs

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if latency_factor is not UNSET:
            field_dict["latency_factor"] = latency_factor
        if min_consecutive is not UNSET:
            field_dict["min_consecutive"] = min_consecutive
        if min_samples is not UNSET:
            field_dict["min_samples"] = min_samples
        if failure_rate_pp is not UNSET:
            field_dict["failure_rate_pp"] = failure_rate_pp
        if min_runs is not UNSET:
            field_dict["min_runs"] = min_runs

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        latency_factor = d.pop("latency_factor", UNSET)

        min_consecutive = d.pop("min_consecutive", UNSET)

        min_samples = d.pop("min_samples", UNSET)

        failure_rate_pp = d.pop("failure_rate_pp", UNSET)

        min_runs = d.pop("min_runs", UNSET)

        anomaly_spec = cls(
            enabled=enabled,
            latency_factor=latency_factor,
            min_consecutive=min_consecutive,
            min_samples=min_samples,
            failure_rate_pp=failure_rate_pp,
            min_runs=min_runs,
        )

        return anomaly_spec
