from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TlsSpec")


@_attrs_define
class TlsSpec:
    """
    Attributes:
        warn_days (int | Unset):  Default: 14.
    """

    warn_days: int | Unset = 14

    def to_dict(self) -> dict[str, Any]:
        warn_days = self.warn_days

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if warn_days is not UNSET:
            field_dict["warn_days"] = warn_days

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        warn_days = d.pop("warn_days", UNSET)

        tls_spec = cls(
            warn_days=warn_days,
        )

        return tls_spec
