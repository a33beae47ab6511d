from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="HeartbeatSpec")


@_attrs_define
class HeartbeatSpec:
    """
    Attributes:
        period_s (int | Unset):  Default: 300.
        cron (None | str | Unset):
        timezone (str | Unset):  Default: 'UTC'.
        grace_s (int | Unset):  Default: 60.
        max_runtime_s (int | None | Unset):
        min_runtime_s (int | None | Unset):
        slug (None | str | Unset):
    """

    period_s: int | Unset = 300
    cron: None | str | Unset = UNSET
    timezone: str | Unset = "UTC"
    grace_s: int | Unset = 60
    max_runtime_s: int | None | Unset = UNSET
    min_runtime_s: int | None | Unset = UNSET
    slug: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        period_s = self.period_s

        cron: None | str | Unset
        if isinstance(self.cron, Unset):
            cron = UNSET
        else:
            cron = self.cron

        timezone = self.timezone

        grace_s = self.grace_s

        max_runtime_s: int | None | Unset
        if isinstance(self.max_runtime_s, Unset):
            max_runtime_s = UNSET
        else:
            max_runtime_s = self.max_runtime_s

        min_runtime_s: int | None | Unset
        if isinstance(self.min_runtime_s, Unset):
            min_runtime_s = UNSET
        else:
            min_runtime_s = self.min_runtime_s

        slug: None | str | Unset
        if isinstance(self.slug, Unset):
            slug = UNSET
        else:
            slug = self.slug

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if period_s is not UNSET:
            field_dict["period_s"] = period_s
        if cron is not UNSET:
            field_dict["cron"] = cron
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if grace_s is not UNSET:
            field_dict["grace_s"] = grace_s
        if max_runtime_s is not UNSET:
            field_dict["max_runtime_s"] = max_runtime_s
        if min_runtime_s is not UNSET:
            field_dict["min_runtime_s"] = min_runtime_s
        if slug is not UNSET:
            field_dict["slug"] = slug

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        period_s = d.pop("period_s", UNSET)

        def _parse_cron(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cron = _parse_cron(d.pop("cron", UNSET))

        timezone = d.pop("timezone", UNSET)

        grace_s = d.pop("grace_s", UNSET)

        def _parse_max_runtime_s(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_runtime_s = _parse_max_runtime_s(d.pop("max_runtime_s", UNSET))

        def _parse_min_runtime_s(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        min_runtime_s = _parse_min_runtime_s(d.pop("min_runtime_s", UNSET))

        def _parse_slug(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        slug = _parse_slug(d.pop("slug", UNSET))

        heartbeat_spec = cls(
            period_s=period_s,
            cron=cron,
            timezone=timezone,
            grace_s=grace_s,
            max_runtime_s=max_runtime_s,
            min_runtime_s=min_runtime_s,
            slug=slug,
        )

        return heartbeat_spec
