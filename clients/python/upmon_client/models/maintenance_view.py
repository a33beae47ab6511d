from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="MaintenanceView")


@_attrs_define
class MaintenanceView:
    """
    Attributes:
        name (str):
        id (str):
        created_at (str):
        monitor_ids (list[str] | Unset):
        tags (list[str] | Unset):
        starts_at (None | str | Unset):
        ends_at (None | str | Unset):
        cron (None | str | Unset):
        duration_s (int | None | Unset):
        timezone (str | Unset):  Default: 'UTC'.
        active_now (bool | Unset):  Default: False.
        valid (bool | Unset):  Default: True.
        problem (None | str | Unset):
    """

    name: str
    id: str
    created_at: str
    monitor_ids: list[str] | Unset = UNSET
    tags: list[str] | Unset = UNSET
    starts_at: None | str | Unset = UNSET
    ends_at: None | str | Unset = UNSET
    cron: None | str | Unset = UNSET
    duration_s: int | None | Unset = UNSET
    timezone: str | Unset = "UTC"
    active_now: bool | Unset = False
    valid: bool | Unset = True
    problem: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        id = self.id

        created_at = self.created_at

        monitor_ids: list[str] | Unset = UNSET
        if not isinstance(self.monitor_ids, Unset):
            monitor_ids = self.monitor_ids

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        starts_at: None | str | Unset
        if isinstance(self.starts_at, Unset):
            starts_at = UNSET
        else:
            starts_at = self.starts_at

        ends_at: None | str | Unset
        if isinstance(self.ends_at, Unset):
            ends_at = UNSET
        else:
            ends_at = self.ends_at

        cron: None | str | Unset
        if isinstance(self.cron, Unset):
            cron = UNSET
        else:
            cron = self.cron

        duration_s: int | None | Unset
        if isinstance(self.duration_s, Unset):
            duration_s = UNSET
        else:
            duration_s = self.duration_s

        timezone = self.timezone

        active_now = self.active_now

        valid = self.valid

        problem: None | str | Unset
        if isinstance(self.problem, Unset):
            problem = UNSET
        else:
            problem = self.problem

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "id": id,
                "created_at": created_at,
            }
        )
        if monitor_ids is not UNSET:
            field_dict["monitor_ids"] = monitor_ids
        if tags is not UNSET:
            field_dict["tags"] = tags
        if starts_at is not UNSET:
            field_dict["starts_at"] = starts_at
        if ends_at is not UNSET:
            field_dict["ends_at"] = ends_at
        if cron is not UNSET:
            field_dict["cron"] = cron
        if duration_s is not UNSET:
            field_dict["duration_s"] = duration_s
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if active_now is not UNSET:
            field_dict["active_now"] = active_now
        if valid is not UNSET:
            field_dict["valid"] = valid
        if problem is not UNSET:
            field_dict["problem"] = problem

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        id = d.pop("id")

        created_at = d.pop("created_at")

        monitor_ids = cast(list[str], d.pop("monitor_ids", UNSET))

        tags = cast(list[str], d.pop("tags", UNSET))

        def _parse_starts_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        starts_at = _parse_starts_at(d.pop("starts_at", UNSET))

        def _parse_ends_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ends_at = _parse_ends_at(d.pop("ends_at", UNSET))

        def _parse_cron(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cron = _parse_cron(d.pop("cron", UNSET))

        def _parse_duration_s(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        duration_s = _parse_duration_s(d.pop("duration_s", UNSET))

        timezone = d.pop("timezone", UNSET)

        active_now = d.pop("active_now", UNSET)

        valid = d.pop("valid", UNSET)

        def _parse_problem(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        problem = _parse_problem(d.pop("problem", UNSET))

        maintenance_view = cls(
            name=name,
            id=id,
            created_at=created_at,
            monitor_ids=monitor_ids,
            tags=tags,
            starts_at=starts_at,
            ends_at=ends_at,
            cron=cron,
            duration_s=duration_s,
            timezone=timezone,
            active_now=active_now,
            valid=valid,
            problem=problem,
        )

        maintenance_view.additional_properties = d
        return maintenance_view

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
