from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="StatusPageCreate")


@_attrs_define
class StatusPageCreate:
    """
    Attributes:
        slug (str):
        title (str):
        monitor_ids (list[str] | Unset):
        public (bool | Unset):  Default: True.
    """

    slug: str
    title: str
    monitor_ids: list[str] | Unset = UNSET
    public: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        slug = self.slug

        title = self.title

        monitor_ids: list[str] | Unset = UNSET
        if not isinstance(self.monitor_ids, Unset):
            monitor_ids = self.monitor_ids

        public = self.public

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "slug": slug,
                "title": title,
            }
        )
        if monitor_ids is not UNSET:
            field_dict["monitor_ids"] = monitor_ids
        if public is not UNSET:
            field_dict["public"] = public

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        slug = d.pop("slug")

        title = d.pop("title")

        monitor_ids = cast(list[str], d.pop("monitor_ids", UNSET))

        public = d.pop("public", UNSET)

        status_page_create = cls(
            slug=slug,
            title=title,
            monitor_ids=monitor_ids,
            public=public,
        )

        return status_page_create
