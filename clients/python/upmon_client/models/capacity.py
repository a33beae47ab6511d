from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.advice import Advice
    from ..models.offered import Offered


T = TypeVar("T", bound="Capacity")


@_attrs_define
class Capacity:
    """
    Attributes:
        offered (list[Offered]):
        checks_per_s (float):
        headroom (float):
        services (list[Advice]):
        bottleneck (None | str):
        summary (str):
    """

    offered: list[Offered]
    checks_per_s: float
    headroom: float
    services: list[Advice]
    bottleneck: None | str
    summary: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        offered = []
        for offered_item_data in self.offered:
            offered_item = offered_item_data.to_dict()
            offered.append(offered_item)

        checks_per_s = self.checks_per_s

        headroom = self.headroom

        services = []
        for services_item_data in self.services:
            services_item = services_item_data.to_dict()
            services.append(services_item)

        bottleneck: None | str
        bottleneck = self.bottleneck

        summary = self.summary

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "offered": offered,
                "checks_per_s": checks_per_s,
                "headroom": headroom,
                "services": services,
                "bottleneck": bottleneck,
                "summary": summary,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.advice import Advice  # noqa: PLC0415
        from ..models.offered import Offered  # noqa: PLC0415

        d = dict(src_dict)
        offered = []
        _offered = d.pop("offered")
        for offered_item_data in _offered:
            offered_item = Offered.from_dict(offered_item_data)

            offered.append(offered_item)

        checks_per_s = d.pop("checks_per_s")

        headroom = d.pop("headroom")

        services = []
        _services = d.pop("services")
        for services_item_data in _services:
            services_item = Advice.from_dict(services_item_data)

            services.append(services_item)

        def _parse_bottleneck(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        bottleneck = _parse_bottleneck(d.pop("bottleneck"))

        summary = d.pop("summary")

        capacity = cls(
            offered=offered,
            checks_per_s=checks_per_s,
            headroom=headroom,
            services=services,
            bottleneck=bottleneck,
            summary=summary,
        )

        capacity.additional_properties = d
        return capacity

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
