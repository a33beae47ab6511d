from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="GrpcOptions")


@_attrs_define
class GrpcOptions:
    """
    Attributes:
        service (None | str | Unset):
        tls (bool | Unset):  Default: False.
    """

    service: None | str | Unset = UNSET
    tls: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        service: None | str | Unset
        if isinstance(self.service, Unset):
            service = UNSET
        else:
            service = self.service

        tls = self.tls

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if service is not UNSET:
            field_dict["service"] = service
        if tls is not UNSET:
            field_dict["tls"] = tls

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_service(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        service = _parse_service(d.pop("service", UNSET))

        tls = d.pop("tls", UNSET)

        grpc_options = cls(
            service=service,
            tls=tls,
        )

        return grpc_options
