from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.udp_options_encoding import UdpOptionsEncoding
from ..types import UNSET, Unset

T = TypeVar("T", bound="UdpOptions")


@_attrs_define
class UdpOptions:
    """
    Attributes:
        send (None | str | Unset):
        expect (None | str | Unset):
        encoding (UdpOptionsEncoding | Unset):  Default: UdpOptionsEncoding.TEXT.
    """

    send: None | str | Unset = UNSET
    expect: None | str | Unset = UNSET
    encoding: UdpOptionsEncoding | Unset = UdpOptionsEncoding.TEXT

    def to_dict(self) -> dict[str, Any]:
        send: None | str | Unset
        if isinstance(self.send, Unset):
            send = UNSET
        else:
            send = self.send

        expect: None | str | Unset
        if isinstance(self.expect, Unset):
            expect = UNSET
        else:
            expect = self.expect

        encoding: str | Unset = UNSET
        if not isinstance(self.encoding, Unset):
            encoding = self.encoding.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if send is not UNSET:
            field_dict["send"] = send
        if expect is not UNSET:
            field_dict["expect"] = expect
        if encoding is not UNSET:
            field_dict["encoding"] = encoding

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_send(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        send = _parse_send(d.pop("send", UNSET))

        def _parse_expect(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        expect = _parse_expect(d.pop("expect", UNSET))

        _encoding = d.pop("encoding", UNSET)
        encoding: UdpOptionsEncoding | Unset
        if isinstance(_encoding, Unset):
            encoding = UNSET
        else:
            encoding = UdpOptionsEncoding(_encoding)

        udp_options = cls(
            send=send,
            expect=expect,
            encoding=encoding,
        )

        return udp_options
