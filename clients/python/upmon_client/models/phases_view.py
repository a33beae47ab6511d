from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PhasesView")


@_attrs_define
class PhasesView:
    """
    Attributes:
        dns_ms (float | None | Unset):
        connect_ms (float | None | Unset):
        tls_ms (float | None | Unset):
        ttfb_ms (float | None | Unset):
        transfer_ms (float | None | Unset):
    """

    dns_ms: float | None | Unset = UNSET
    connect_ms: float | None | Unset = UNSET
    tls_ms: float | None | Unset = UNSET
    ttfb_ms: float | None | Unset = UNSET
    transfer_ms: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dns_ms: float | None | Unset
        if isinstance(self.dns_ms, Unset):
            dns_ms = UNSET
        else:
            dns_ms = self.dns_ms

        connect_ms: float | None | Unset
        if isinstance(self.connect_ms, Unset):
            connect_ms = UNSET
        else:
            connect_ms = self.connect_ms

        tls_ms: float | None | Unset
        if isinstance(self.tls_ms, Unset):
            tls_ms = UNSET
        else:
            tls_ms = self.tls_ms

        ttfb_ms: float | None | Unset
        if isinstance(self.ttfb_ms, Unset):
            ttfb_ms = UNSET
        else:
            ttfb_ms = self.ttfb_ms

        transfer_ms: float | None | Unset
        if isinstance(self.transfer_ms, Unset):
            transfer_ms = UNSET
        else:
            transfer_ms = self.transfer_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if dns_ms is not UNSET:
            field_dict["dns_ms"] = dns_ms
        if connect_ms is not UNSET:
            field_dict["connect_ms"] = connect_ms
        if tls_ms is not UNSET:
            field_dict["tls_ms"] = tls_ms
        if ttfb_ms is not UNSET:
            field_dict["ttfb_ms"] = ttfb_ms
        if transfer_ms is not UNSET:
            field_dict["transfer_ms"] = transfer_ms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_dns_ms(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        dns_ms = _parse_dns_ms(d.pop("dns_ms", UNSET))

        def _parse_connect_ms(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        connect_ms = _parse_connect_ms(d.pop("connect_ms", UNSET))

        def _parse_tls_ms(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        tls_ms = _parse_tls_ms(d.pop("tls_ms", UNSET))

        def _parse_ttfb_ms(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        ttfb_ms = _parse_ttfb_ms(d.pop("ttfb_ms", UNSET))

        def _parse_transfer_ms(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        transfer_ms = _parse_transfer_ms(d.pop("transfer_ms", UNSET))

        phases_view = cls(
            dns_ms=dns_ms,
            connect_ms=connect_ms,
            tls_ms=tls_ms,
            ttfb_ms=ttfb_ms,
            transfer_ms=transfer_ms,
        )

        phases_view.additional_properties = d
        return phases_view

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
