from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_run_outcome import JobRunOutcome
from ..models.job_run_type import JobRunType
from ..types import UNSET, Unset

T = TypeVar("T", bound="JobRun")


@_attrs_define
class JobRun:
    """A finished run of a job monitor (start to end), an expected one that never came
    (`missed`, ended_at its deadline), or a line the job logged (`log`).

    Attributes:
        type_ (JobRunType):
        monitor_id (str):
        outcome (JobRunOutcome):
        ended_at (str):
        started_at (None | str | Unset):
        duration_s (float | None | Unset):
        exit_code (int | None | Unset):
        rid (None | str | Unset):
        reason (None | str | Unset):
        output (str | Unset):  Default: ''.
        late (bool | Unset):  Default: False.
        id (str | Unset):
        v (int | Unset):  Default: 1.
        at (str | Unset):
    """

    type_: JobRunType
    monitor_id: str
    outcome: JobRunOutcome
    ended_at: str
    started_at: None | str | Unset = UNSET
    duration_s: float | None | Unset = UNSET
    exit_code: int | None | Unset = UNSET
    rid: None | str | Unset = UNSET
    reason: None | str | Unset = UNSET
    output: str | Unset = ""
    late: bool | Unset = False
    id: str | Unset = UNSET
    v: int | Unset = 1
    at: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        monitor_id = self.monitor_id

        outcome = self.outcome.value

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

        id = self.id

        v = self.v

        at = self.at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "monitor_id": monitor_id,
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
        if id is not UNSET:
            field_dict["id"] = id
        if v is not UNSET:
            field_dict["v"] = v
        if at is not UNSET:
            field_dict["at"] = at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = JobRunType(d.pop("type"))

        monitor_id = d.pop("monitor_id")

        outcome = JobRunOutcome(d.pop("outcome"))

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

        id = d.pop("id", UNSET)

        v = d.pop("v", UNSET)

        at = d.pop("at", UNSET)

        job_run = cls(
            type_=type_,
            monitor_id=monitor_id,
            outcome=outcome,
            ended_at=ended_at,
            started_at=started_at,
            duration_s=duration_s,
            exit_code=exit_code,
            rid=rid,
            reason=reason,
            output=output,
            late=late,
            id=id,
            v=v,
            at=at,
        )

        job_run.additional_properties = d
        return job_run

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
