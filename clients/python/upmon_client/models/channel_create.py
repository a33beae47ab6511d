from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.channel_create_events_item import ChannelCreateEventsItem
from ..models.channel_create_kind import ChannelCreateKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.channel_create_config import ChannelCreateConfig


T = TypeVar("T", bound="ChannelCreate")


@_attrs_define
class ChannelCreate:
    """
    Attributes:
        name (str):
        kind (ChannelCreateKind):
        config (ChannelCreateConfig):
        events (list[ChannelCreateEventsItem] | Unset):
    """

    name: str
    kind: ChannelCreateKind
    config: ChannelCreateConfig
    events: list[ChannelCreateEventsItem] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        kind = self.kind.value

        config = self.config.to_dict()

        events: list[str] | Unset = UNSET
        if not isinstance(self.events, Unset):
            events = []
            for events_item_data in self.events:
                events_item = events_item_data.value
                events.append(events_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "kind": kind,
                "config": config,
            }
        )
        if events is not UNSET:
            field_dict["events"] = events

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.channel_create_config import ChannelCreateConfig  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        kind = ChannelCreateKind(d.pop("kind"))

        config = ChannelCreateConfig.from_dict(d.pop("config"))

        _events = d.pop("events", UNSET)
        events: list[ChannelCreateEventsItem] | Unset = UNSET
        if _events is not UNSET:
            events = []
            for events_item_data in _events:
                events_item = ChannelCreateEventsItem(events_item_data)

                events.append(events_item)

        channel_create = cls(
            name=name,
            kind=kind,
            config=config,
            events=events,
        )

        return channel_create
