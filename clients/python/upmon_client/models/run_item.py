from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RunItem")


@_attrs_define
class RunItem:
    """One finished run of a job monitor, or a line it logged (outcome `log`).

    Attributes:
        id (str):
        outcome (str):
        ended_at (str):
        started_at (None | str | Unset):
        duration_s (float | None | Unset):
        exit_code (int | None | Unset):
        rid (None | str | Unset):
        reason (None | str | Unset):
        output (str | Unset):  Default: ''.
        late (bool | Unset):  Default: False.
    """

    id: str
    outcome: str
    ended_at: str
    started_at: None | str | Unset = UNSET
    duration_s: float | None | Unset = UNSET
    exit_code: int | None | Unset = UNSET
    rid: None | str | Unset = UNSET
    reason: None | str | Unset = UNSET
    output: str | Unset = ""
    late: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        outcome = self.outcome

        ended_at = self.ended_at

        started_at: None | str | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        else:
            started_at = self.started_at

        duration_s: float | None | Unset
        if isinstance(self.duration_s, Unset):
            duration_s = UNSET
        else:
            duration_s = self.duration_s

        exit_code: int | None | Unset
        if isinstance(self.exit_code, Unset):
            exit_code = UNSET
        else:
            exit_code = self.exit_code

        rid: None | str | Unset
        if isinstance(self.rid, Unset):
            rid = UNSET
        else:
            rid = self.rid

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        output = self.output

        late = self.late

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "outcome": outcome,
                "ended_at": ended_at,
            }
        )
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if duration_s is not UNSET:
            field_dict["duration_s"] = duration_s
        if exit_code is not UNSET:
            field_dict["exit_code"] = exit_code
        if rid is not UNSET:
            field_dict["rid"] = rid
        if reason is not UNSET:
            field_dict["reason"] = reason
        if output is not UNSET:
            field_dict["output"] = output
        if late is not UNSET:
            field_dict["late"] = late

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        outcome = d.pop("outcome")

        ended_at = d.pop("ended_at")

        def _parse_started_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        started_at = _parse_started_at(d.pop("started_at", UNSET))

        def _parse_duration_s(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        duration_s = _parse_duration_s(d.pop("duration_s", UNSET))

        def _parse_exit_code(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        exit_code = _parse_exit_code(d.pop("exit_code", UNSET))

        def _parse_rid(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rid = _parse_rid(d.pop("rid", UNSET))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        output = d.pop("output", UNSET)

        late = d.pop("late", UNSET)

        run_item = cls(
            id=id,
            outcome=outcome,
            ended_at=ended_at,
            started_at=started_at,
            duration_s=duration_s,
            exit_code=exit_code,
            rid=rid,
            reason=reason,
            output=output,
            late=late,
        )

        run_item.additional_properties = d
        return run_item

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
