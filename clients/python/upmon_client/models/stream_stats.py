from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.consumer_stats import ConsumerStats


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
    """

    name: str
    subjects: list[str]
    messages: int
    bytes_: int
    first_seq: int
    last_seq: int
    consumers: list[ConsumerStats]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
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

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.consumer_stats import ConsumerStats  # noqa: PLC0415

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

        stream_stats = cls(
            name=name,
            subjects=subjects,
            messages=messages,
            bytes_=bytes_,
            first_seq=first_seq,
            last_seq=last_seq,
            consumers=consumers,
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
