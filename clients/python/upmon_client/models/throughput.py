from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.kind_series import KindSeries


T = TypeVar("T", bound="Throughput")


@_attrs_define
class Throughput:
    """
    Attributes:
        window (str):
        step_s (int):
        checks_per_s (float | None):
        results_per_s (float | None):
        deliveries_per_s (float | None):
        schedule_lag_p99_ms (float | None):
        check_to_row_p99_ms (float | None):
        checks (int):
        error_kinds (list[KindSeries]):
    """

    window: str
    step_s: int
    checks_per_s: float | None
    results_per_s: float | None
    deliveries_per_s: float | None
    schedule_lag_p99_ms: float | None
    check_to_row_p99_ms: float | None
    checks: int
    error_kinds: list[KindSeries]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        window = self.window

        step_s = self.step_s

        checks_per_s: float | None
        checks_per_s = self.checks_per_s

        results_per_s: float | None
        results_per_s = self.results_per_s

        deliveries_per_s: float | None
        deliveries_per_s = self.deliveries_per_s

        schedule_lag_p99_ms: float | None
        schedule_lag_p99_ms = self.schedule_lag_p99_ms

        check_to_row_p99_ms: float | None
        check_to_row_p99_ms = self.check_to_row_p99_ms

        checks = self.checks

        error_kinds = []
        for error_kinds_item_data in self.error_kinds:
            error_kinds_item = error_kinds_item_data.to_dict()
            error_kinds.append(error_kinds_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "window": window,
                "step_s": step_s,
                "checks_per_s": checks_per_s,
                "results_per_s": results_per_s,
                "deliveries_per_s": deliveries_per_s,
                "schedule_lag_p99_ms": schedule_lag_p99_ms,
                "check_to_row_p99_ms": check_to_row_p99_ms,
                "checks": checks,
                "error_kinds": error_kinds,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.kind_series import KindSeries  # noqa: PLC0415

        d = dict(src_dict)
        window = d.pop("window")

        step_s = d.pop("step_s")

        def _parse_checks_per_s(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        checks_per_s = _parse_checks_per_s(d.pop("checks_per_s"))

        def _parse_results_per_s(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        results_per_s = _parse_results_per_s(d.pop("results_per_s"))

        def _parse_deliveries_per_s(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        deliveries_per_s = _parse_deliveries_per_s(d.pop("deliveries_per_s"))

        def _parse_schedule_lag_p99_ms(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        schedule_lag_p99_ms = _parse_schedule_lag_p99_ms(d.pop("schedule_lag_p99_ms"))

        def _parse_check_to_row_p99_ms(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        check_to_row_p99_ms = _parse_check_to_row_p99_ms(d.pop("check_to_row_p99_ms"))

        checks = d.pop("checks")

        error_kinds = []
        _error_kinds = d.pop("error_kinds")
        for error_kinds_item_data in _error_kinds:
            error_kinds_item = KindSeries.from_dict(error_kinds_item_data)

            error_kinds.append(error_kinds_item)

        throughput = cls(
            window=window,
            step_s=step_s,
            checks_per_s=checks_per_s,
            results_per_s=results_per_s,
            deliveries_per_s=deliveries_per_s,
            schedule_lag_p99_ms=schedule_lag_p99_ms,
            check_to_row_p99_ms=check_to_row_p99_ms,
            checks=checks,
            error_kinds=error_kinds,
        )

        throughput.additional_properties = d
        return throughput

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
