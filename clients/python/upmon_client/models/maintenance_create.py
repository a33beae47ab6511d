from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MaintenanceCreate")


@_attrs_define
class MaintenanceCreate:
    """
    Attributes:
        name (str):
        monitor_ids (list[str] | Unset):
        tags (list[str] | Unset):
        starts_at (None | str | Unset):
        ends_at (None | str | Unset):
        cron (None | str | Unset):
        duration_s (int | None | Unset):
        timezone (str | Unset):  Default: 'UTC'.
    """

    name: str
    monitor_ids: list[str] | Unset = UNSET
    tags: list[str] | Unset = UNSET
    starts_at: None | str | Unset = UNSET
    ends_at: None | str | Unset = UNSET
    cron: None | str | Unset = UNSET
    duration_s: int | None | Unset = UNSET
    timezone: str | Unset = "UTC"

    def to_dict(self) -> dict[str, Any]:
        name = self.name

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

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
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

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

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

        maintenance_create = cls(
            name=name,
            monitor_ids=monitor_ids,
            tags=tags,
            starts_at=starts_at,
            ends_at=ends_at,
            cron=cron,
            duration_s=duration_s,
            timezone=timezone,
        )

        return maintenance_create
