from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.channel_view_events_item import ChannelViewEventsItem
from ..models.channel_view_kind import ChannelViewKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.channel_view_config import ChannelViewConfig


T = TypeVar("T", bound="ChannelView")


@_attrs_define
class ChannelView:
    """
    Attributes:
        id (str):
        name (str):
        kind (ChannelViewKind):
        config (ChannelViewConfig):
        created_at (str):
        events (list[ChannelViewEventsItem] | Unset):
    """

    id: str
    name: str
    kind: ChannelViewKind
    config: ChannelViewConfig
    created_at: str
    events: list[ChannelViewEventsItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        kind = self.kind.value

        config = self.config.to_dict()

        created_at = self.created_at

        events: list[str] | Unset = UNSET
        if not isinstance(self.events, Unset):
            events = []
            for events_item_data in self.events:
                events_item = events_item_data.value
                events.append(events_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "kind": kind,
                "config": config,
                "created_at": created_at,
            }
        )
        if events is not UNSET:
            field_dict["events"] = events

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.channel_view_config import ChannelViewConfig  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        kind = ChannelViewKind(d.pop("kind"))

        config = ChannelViewConfig.from_dict(d.pop("config"))

        created_at = d.pop("created_at")

        _events = d.pop("events", UNSET)
        events: list[ChannelViewEventsItem] | Unset = UNSET
        if _events is not UNSET:
            events = []
            for events_item_data in _events:
                events_item = ChannelViewEventsItem(events_item_data)

                events.append(events_item)

        channel_view = cls(
            id=id,
            name=name,
            kind=kind,
            config=config,
            created_at=created_at,
            events=events,
        )

        channel_view.additional_properties = d
        return channel_view

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
