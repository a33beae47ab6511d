from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.placement import Placement


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
        placement (None | Placement | Unset):
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
    placement: None | Placement | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.placement import Placement  # noqa: PLC0415

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
        if placement is not UNSET:
            field_dict["placement"] = placement

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.placement import Placement  # noqa: PLC0415

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
            placement=placement,
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
