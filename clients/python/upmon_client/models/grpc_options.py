from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="GrpcOptions")


@_attrs_define
class GrpcOptions:
    """
    Attributes:
        service (str | Unset):  Default: ''.
        tls (bool | Unset):  Default: False.
    """

    service: str | Unset = ""
    tls: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
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
        service = d.pop("service", UNSET)

        tls = d.pop("tls", UNSET)

        grpc_options = cls(
            service=service,
            tls=tls,
        )

        return grpc_options
