from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.dns_spec_record_type import DnsSpecRecordType
from ..types import UNSET, Unset

T = TypeVar("T", bound="DnsSpec")


@_attrs_define
class DnsSpec:
    """
    Attributes:
        record_type (DnsSpecRecordType | Unset):  Default: DnsSpecRecordType.A.
        expected (list[str] | Unset):
        resolver (None | str | Unset):
    """

    record_type: DnsSpecRecordType | Unset = DnsSpecRecordType.A
    expected: list[str] | Unset = UNSET
    resolver: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        record_type: str | Unset = UNSET
        if not isinstance(self.record_type, Unset):
            record_type = self.record_type.value

        expected: list[str] | Unset = UNSET
        if not isinstance(self.expected, Unset):
            expected = self.expected

        resolver: None | str | Unset
        if isinstance(self.resolver, Unset):
            resolver = UNSET
        else:
            resolver = self.resolver

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if record_type is not UNSET:
            field_dict["record_type"] = record_type
        if expected is not UNSET:
            field_dict["expected"] = expected
        if resolver is not UNSET:
            field_dict["resolver"] = resolver

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _record_type = d.pop("record_type", UNSET)
        record_type: DnsSpecRecordType | Unset
        if isinstance(_record_type, Unset):
            record_type = UNSET
        else:
            record_type = DnsSpecRecordType(_record_type)

        expected = cast(list[str], d.pop("expected", UNSET))

        def _parse_resolver(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        resolver = _parse_resolver(d.pop("resolver", UNSET))

        dns_spec = cls(
            record_type=record_type,
            expected=expected,
            resolver=resolver,
        )

        return dns_spec
