from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.push_receipt_status import PushReceiptStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="PushReceipt")


@_attrs_define
class PushReceipt:
    """
    Attributes:
        ok (bool):
        monitor_id (str):
        status (PushReceiptStatus):
        at (str):
        signal (str | Unset):  Default: 'finish'.
        outcome (None | str | Unset):
        duration_s (float | None | Unset):
    """

    ok: bool
    monitor_id: str
    status: PushReceiptStatus
    at: str
    signal: str | Unset = "finish"
    outcome: None | str | Unset = UNSET
    duration_s: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ok = self.ok

        monitor_id = self.monitor_id

        status = self.status.value

        at = self.at

        signal = self.signal

        outcome: None | str | Unset
        if isinstance(self.outcome, Unset):
            outcome = UNSET
        else:
            outcome = self.outcome

        duration_s: float | None | Unset
        if isinstance(self.duration_s, Unset):
            duration_s = UNSET
        else:
            duration_s = self.duration_s

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ok": ok,
                "monitor_id": monitor_id,
                "status": status,
                "at": at,
            }
        )
        if signal is not UNSET:
            field_dict["signal"] = signal
        if outcome is not UNSET:
            field_dict["outcome"] = outcome
        if duration_s is not UNSET:
            field_dict["duration_s"] = duration_s

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ok = d.pop("ok")

        monitor_id = d.pop("monitor_id")

        status = PushReceiptStatus(d.pop("status"))

        at = d.pop("at")

        signal = d.pop("signal", UNSET)

        def _parse_outcome(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        outcome = _parse_outcome(d.pop("outcome", UNSET))

        def _parse_duration_s(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        duration_s = _parse_duration_s(d.pop("duration_s", UNSET))

        push_receipt = cls(
            ok=ok,
            monitor_id=monitor_id,
            status=status,
            at=at,
            signal=signal,
            outcome=outcome,
            duration_s=duration_s,
        )

        push_receipt.additional_properties = d
        return push_receipt

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
