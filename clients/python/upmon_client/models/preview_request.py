from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PreviewRequest")


@_attrs_define
class PreviewRequest:
    """
    Attributes:
        cron (str):
        duration_s (int):
        timezone (str | Unset):  Default: 'UTC'.
        count (int | Unset):  Default: 5.
    """

    cron: str
    duration_s: int
    timezone: str | Unset = "UTC"
    count: int | Unset = 5

    def to_dict(self) -> dict[str, Any]:
        cron = self.cron

        duration_s = self.duration_s

        timezone = self.timezone

        count = self.count

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "cron": cron,
                "duration_s": duration_s,
            }
        )
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if count is not UNSET:
            field_dict["count"] = count

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cron = d.pop("cron")

        duration_s = d.pop("duration_s")

        timezone = d.pop("timezone", UNSET)

        count = d.pop("count", UNSET)

        preview_request = cls(
            cron=cron,
            duration_s=duration_s,
            timezone=timezone,
            count=count,
        )

        return preview_request
