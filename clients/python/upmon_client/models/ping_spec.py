from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PingSpec")


@_attrs_define
class PingSpec:
    """
    Attributes:
        count (int | Unset):  Default: 3.
        max_loss_pct (float | Unset):  Default: 0.0.
        degraded_rtt_ms (float | None | Unset):
    """

    count: int | Unset = 3
    max_loss_pct: float | Unset = 0.0
    degraded_rtt_ms: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        max_loss_pct = self.max_loss_pct

        degraded_rtt_ms: float | None | Unset
        if isinstance(self.degraded_rtt_ms, Unset):
            degraded_rtt_ms = UNSET
        else:
            degraded_rtt_ms = self.degraded_rtt_ms

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if count is not UNSET:
            field_dict["count"] = count
        if max_loss_pct is not UNSET:
            field_dict["max_loss_pct"] = max_loss_pct
        if degraded_rtt_ms is not UNSET:
            field_dict["degraded_rtt_ms"] = degraded_rtt_ms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count", UNSET)

        max_loss_pct = d.pop("max_loss_pct", UNSET)

        def _parse_degraded_rtt_ms(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        degraded_rtt_ms = _parse_degraded_rtt_ms(d.pop("degraded_rtt_ms", UNSET))

        ping_spec = cls(
            count=count,
            max_loss_pct=max_loss_pct,
            degraded_rtt_ms=degraded_rtt_ms,
        )

        return ping_spec
