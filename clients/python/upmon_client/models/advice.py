from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.replica_view import ReplicaView


T = TypeVar("T", bound="Advice")


@_attrs_define
class Advice:
    """
    Attributes:
        service (str):
        replicas (int):
        demand_per_s (float):
        cpu_per_msg_us (float):
        measured (bool):
        utilisation_pct (float):
        recommended (int):
        change (int):
        advice (str):
        per_replica (list[ReplicaView] | Unset):
    """

    service: str
    replicas: int
    demand_per_s: float
    cpu_per_msg_us: float
    measured: bool
    utilisation_pct: float
    recommended: int
    change: int
    advice: str
    per_replica: list[ReplicaView] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        service = self.service

        replicas = self.replicas

        demand_per_s = self.demand_per_s

        cpu_per_msg_us = self.cpu_per_msg_us

        measured = self.measured

        utilisation_pct = self.utilisation_pct

        recommended = self.recommended

        change = self.change

        advice = self.advice

        per_replica: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.per_replica, Unset):
            per_replica = []
            for per_replica_item_data in self.per_replica:
                per_replica_item = per_replica_item_data.to_dict()
                per_replica.append(per_replica_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "service": service,
                "replicas": replicas,
                "demand_per_s": demand_per_s,
                "cpu_per_msg_us": cpu_per_msg_us,
                "measured": measured,
                "utilisation_pct": utilisation_pct,
                "recommended": recommended,
                "change": change,
                "advice": advice,
            }
        )
        if per_replica is not UNSET:
            field_dict["per_replica"] = per_replica

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.replica_view import ReplicaView  # noqa: PLC0415

        d = dict(src_dict)
        service = d.pop("service")

        replicas = d.pop("replicas")

        demand_per_s = d.pop("demand_per_s")

        cpu_per_msg_us = d.pop("cpu_per_msg_us")

        measured = d.pop("measured")

        utilisation_pct = d.pop("utilisation_pct")

        recommended = d.pop("recommended")

        change = d.pop("change")

        advice = d.pop("advice")

        _per_replica = d.pop("per_replica", UNSET)
        per_replica: list[ReplicaView] | Unset = UNSET
        if _per_replica is not UNSET:
            per_replica = []
            for per_replica_item_data in _per_replica:
                per_replica_item = ReplicaView.from_dict(per_replica_item_data)

                per_replica.append(per_replica_item)

        advice = cls(
            service=service,
            replicas=replicas,
            demand_per_s=demand_per_s,
            cpu_per_msg_us=cpu_per_msg_us,
            measured=measured,
            utilisation_pct=utilisation_pct,
            recommended=recommended,
            change=change,
            advice=advice,
            per_replica=per_replica,
        )

        advice.additional_properties = d
        return advice

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
