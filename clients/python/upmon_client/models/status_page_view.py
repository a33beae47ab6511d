from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="StatusPageView")


@_attrs_define
class StatusPageView:
    """
    Attributes:
        id (str):
        slug (str):
        title (str):
        monitor_ids (list[str]):
        public (bool):
        created_at (str):
        url (str):
    """

    id: str
    slug: str
    title: str
    monitor_ids: list[str]
    public: bool
    created_at: str
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        slug = self.slug

        title = self.title

        monitor_ids = self.monitor_ids

        public = self.public

        created_at = self.created_at

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "slug": slug,
                "title": title,
                "monitor_ids": monitor_ids,
                "public": public,
                "created_at": created_at,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        slug = d.pop("slug")

        title = d.pop("title")

        monitor_ids = cast(list[str], d.pop("monitor_ids"))

        public = d.pop("public")

        created_at = d.pop("created_at")

        url = d.pop("url")

        status_page_view = cls(
            id=id,
            slug=slug,
            title=title,
            monitor_ids=monitor_ids,
            public=public,
            created_at=created_at,
            url=url,
        )

        status_page_view.additional_properties = d
        return status_page_view

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
