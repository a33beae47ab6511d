from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.duration_stats import DurationStats


T = TypeVar("T", bound="RunStats")


@_attrs_define
class RunStats:
    """Runs of a job monitor in the window (log lines are not runs).

    Attributes:
        runs (int):
        successes (int):
        failures (int):
        missed (int):
        late (int):
        success_rate_pct (float | None):
        duration_s (DurationStats):
    """

    runs: int
    successes: int
    failures: int
    missed: int
    late: int
    success_rate_pct: float | None
    duration_s: DurationStats
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        runs = self.runs

        successes = self.successes

        failures = self.failures

        missed = self.missed

        late = self.late

        success_rate_pct: float | None
        success_rate_pct = self.success_rate_pct

        duration_s = self.duration_s.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "runs": runs,
                "successes": successes,
                "failures": failures,
                "missed": missed,
                "late": late,
                "success_rate_pct": success_rate_pct,
                "duration_s": duration_s,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.duration_stats import DurationStats  # noqa: PLC0415

        d = dict(src_dict)
        runs = d.pop("runs")

        successes = d.pop("successes")

        failures = d.pop("failures")

        missed = d.pop("missed")

        late = d.pop("late")

        def _parse_success_rate_pct(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        success_rate_pct = _parse_success_rate_pct(d.pop("success_rate_pct"))

        duration_s = DurationStats.from_dict(d.pop("duration_s"))

        run_stats = cls(
            runs=runs,
            successes=successes,
            failures=failures,
            missed=missed,
            late=late,
            success_rate_pct=success_rate_pct,
            duration_s=duration_s,
        )

        run_stats.additional_properties = d
        return run_stats

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
