from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ConsumerStats")


@_attrs_define
class ConsumerStats:
    """
    Attributes:
        name (str):
        pending (int):
        ack_pending (int):
        redelivered (int):
        waiting (int):
        delivered_seq (int):
        ack_floor_seq (int):
        last_active (None | str):
        durable (bool | Unset):  Default: True.
        filter_subjects (list[str] | Unset):
    """

    name: str
    pending: int
    ack_pending: int
    redelivered: int
    waiting: int
    delivered_seq: int
    ack_floor_seq: int
    last_active: None | str
    durable: bool | Unset = True
    filter_subjects: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        pending = self.pending

        ack_pending = self.ack_pending

        redelivered = self.redelivered

        waiting = self.waiting

        delivered_seq = self.delivered_seq

        ack_floor_seq = self.ack_floor_seq

        last_active: None | str
        last_active = self.last_active

        durable = self.durable

        filter_subjects: list[str] | Unset = UNSET
        if not isinstance(self.filter_subjects, Unset):
            filter_subjects = self.filter_subjects

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "pending": pending,
                "ack_pending": ack_pending,
                "redelivered": redelivered,
                "waiting": waiting,
                "delivered_seq": delivered_seq,
                "ack_floor_seq": ack_floor_seq,
                "last_active": last_active,
            }
        )
        if durable is not UNSET:
            field_dict["durable"] = durable
        if filter_subjects is not UNSET:
            field_dict["filter_subjects"] = filter_subjects

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        pending = d.pop("pending")

        ack_pending = d.pop("ack_pending")

        redelivered = d.pop("redelivered")

        waiting = d.pop("waiting")

        delivered_seq = d.pop("delivered_seq")

        ack_floor_seq = d.pop("ack_floor_seq")

        def _parse_last_active(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_active = _parse_last_active(d.pop("last_active"))

        durable = d.pop("durable", UNSET)

        filter_subjects = cast(list[str], d.pop("filter_subjects", UNSET))

        consumer_stats = cls(
            name=name,
            pending=pending,
            ack_pending=ack_pending,
            redelivered=redelivered,
            waiting=waiting,
            delivered_seq=delivered_seq,
            ack_floor_seq=ack_floor_seq,
            last_active=last_active,
            durable=durable,
            filter_subjects=filter_subjects,
        )

        consumer_stats.additional_properties = d
        return consumer_stats

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
