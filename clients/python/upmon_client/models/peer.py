from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.peer_state import PeerState
from ..types import UNSET, Unset

T = TypeVar("T", bound="Peer")


@_attrs_define
class Peer:
    """
    Attributes:
        name (str):
        current (bool):
        state (PeerState):
        offline (bool | Unset):  Default: False.
        lag (int | Unset):  Default: 0.
        last_seen_s (float | None | Unset):
    """

    name: str
    current: bool
    state: PeerState
    offline: bool | Unset = False
    lag: int | Unset = 0
    last_seen_s: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        current = self.current

        state = self.state.value

        offline = self.offline

        lag = self.lag

        last_seen_s: float | None | Unset
        if isinstance(self.last_seen_s, Unset):
            last_seen_s = UNSET
        else:
            last_seen_s = self.last_seen_s

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "current": current,
                "state": state,
            }
        )
        if offline is not UNSET:
            field_dict["offline"] = offline
        if lag is not UNSET:
            field_dict["lag"] = lag
        if last_seen_s is not UNSET:
            field_dict["last_seen_s"] = last_seen_s

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        current = d.pop("current")

        state = PeerState(d.pop("state"))

        offline = d.pop("offline", UNSET)

        lag = d.pop("lag", UNSET)

        def _parse_last_seen_s(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        last_seen_s = _parse_last_seen_s(d.pop("last_seen_s", UNSET))

        peer = cls(
            name=name,
            current=current,
            state=state,
            offline=offline,
            lag=lag,
            last_seen_s=last_seen_s,
        )

        peer.additional_properties = d
        return peer

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
