from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.latency_stats import LatencyStats
    from ..models.phases_view import PhasesView
    from ..models.run_stats import RunStats
    from ..models.stats_by_region import StatsByRegion


T = TypeVar("T", bound="Stats")


@_attrs_define
class Stats:
    """
    Attributes:
        window (str):
        uptime_pct (float | None):
        checks (int):
        failures (int):
        latency_ms (LatencyStats):
        phases_ms (PhasesView):
        by_region (StatsByRegion):
        runs (None | RunStats | Unset):
    """

    window: str
    uptime_pct: float | None
    checks: int
    failures: int
    latency_ms: LatencyStats
    phases_ms: PhasesView
    by_region: StatsByRegion
    runs: None | RunStats | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.run_stats import RunStats  # noqa: PLC0415

        window = self.window

        uptime_pct: float | None
        uptime_pct = self.uptime_pct

        checks = self.checks

        failures = self.failures

        latency_ms = self.latency_ms.to_dict()

        phases_ms = self.phases_ms.to_dict()

        by_region = self.by_region.to_dict()

        runs: dict[str, Any] | None | Unset
        if isinstance(self.runs, Unset):
            runs = UNSET
        elif isinstance(self.runs, RunStats):
            runs = self.runs.to_dict()
        else:
            runs = self.runs

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "window": window,
                "uptime_pct": uptime_pct,
                "checks": checks,
                "failures": failures,
                "latency_ms": latency_ms,
                "phases_ms": phases_ms,
                "by_region": by_region,
            }
        )
        if runs is not UNSET:
            field_dict["runs"] = runs

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.latency_stats import LatencyStats  # noqa: PLC0415
        from ..models.phases_view import PhasesView  # noqa: PLC0415
        from ..models.run_stats import RunStats  # noqa: PLC0415
        from ..models.stats_by_region import StatsByRegion  # noqa: PLC0415

        d = dict(src_dict)
        window = d.pop("window")

        def _parse_uptime_pct(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        uptime_pct = _parse_uptime_pct(d.pop("uptime_pct"))

        checks = d.pop("checks")

        failures = d.pop("failures")

        latency_ms = LatencyStats.from_dict(d.pop("latency_ms"))

        phases_ms = PhasesView.from_dict(d.pop("phases_ms"))

        by_region = StatsByRegion.from_dict(d.pop("by_region"))

        def _parse_runs(data: object) -> None | RunStats | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                runs_type_0 = RunStats.from_dict(data)

                return runs_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RunStats | Unset, data)

        runs = _parse_runs(d.pop("runs", UNSET))

        stats = cls(
            window=window,
            uptime_pct=uptime_pct,
            checks=checks,
            failures=failures,
            latency_ms=latency_ms,
            phases_ms=phases_ms,
            by_region=by_region,
            runs=runs,
        )

        stats.additional_properties = d
        return stats

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
