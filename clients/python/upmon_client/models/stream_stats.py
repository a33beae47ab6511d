from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.consumer_stats import ConsumerStats
    from ..models.placement import Placement


T = TypeVar("T", bound="StreamStats")


@_attrs_define
class StreamStats:
    """
    Attributes:
        name (str):
        subjects (list[str]):
        messages (int):
        bytes_ (int):
        first_seq (int):
        last_seq (int):
        consumers (list[ConsumerStats]):
        placement (None | Placement | Unset):
    """

    name: str
    subjects: list[str]
    messages: int
    bytes_: int
    first_seq: int
    last_seq: int
    consumers: list[ConsumerStats]
    placement: None | Placement | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.placement import Placement  # noqa: PLC0415

        name = self.name

        subjects = self.subjects

        messages = self.messages

        bytes_ = self.bytes_

        first_seq = self.first_seq

        last_seq = self.last_seq

        consumers = []
        for consumers_item_data in self.consumers:
            consumers_item = consumers_item_data.to_dict()
            consumers.append(consumers_item)

        placement: dict[str, Any] | None | Unset
        if isinstance(self.placement, Unset):
            placement = UNSET
        elif isinstance(self.placement, Placement):
            placement = self.placement.to_dict()
        else:
            placement = self.placement

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "subjects": subjects,
                "messages": messages,
                "bytes": bytes_,
                "first_seq": first_seq,
                "last_seq": last_seq,
                "consumers": consumers,
            }
        )
        if placement is not UNSET:
            field_dict["placement"] = placement

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.consumer_stats import ConsumerStats  # noqa: PLC0415
        from ..models.placement import Placement  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        subjects = cast(list[str], d.pop("subjects"))

        messages = d.pop("messages")

        bytes_ = d.pop("bytes")

        first_seq = d.pop("first_seq")

        last_seq = d.pop("last_seq")

        consumers = []
        _consumers = d.pop("consumers")
        for consumers_item_data in _consumers:
            consumers_item = ConsumerStats.from_dict(consumers_item_data)

            consumers.append(consumers_item)

        def _parse_placement(data: object) -> None | Placement | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                placement_type_0 = Placement.from_dict(data)

                return placement_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Placement | Unset, data)

        placement = _parse_placement(d.pop("placement", UNSET))

        stream_stats = cls(
            name=name,
            subjects=subjects,
            messages=messages,
            bytes_=bytes_,
            first_seq=first_seq,
            last_seq=last_seq,
            consumers=consumers,
            placement=placement,
        )

        stream_stats.additional_properties = d
        return stream_stats

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
