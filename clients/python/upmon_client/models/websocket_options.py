from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="WebsocketOptions")


@_attrs_define
class WebsocketOptions:
    """
    Attributes:
        send (None | str | Unset):
        expect (None | str | Unset):
        close_code (int | None | Unset):
        subprotocols (list[str] | Unset):
        origin (None | str | Unset):
        bearer_token (None | str | Unset):
        verify_tls (bool | Unset):  Default: True.
    """

    send: None | str | Unset = UNSET
    expect: None | str | Unset = UNSET
    close_code: int | None | Unset = UNSET
    subprotocols: list[str] | Unset = UNSET
    origin: None | str | Unset = UNSET
    bearer_token: None | str | Unset = UNSET
    verify_tls: bool | Unset = True

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

        close_code: int | None | Unset
        if isinstance(self.close_code, Unset):
            close_code = UNSET
        else:
            close_code = self.close_code

        subprotocols: list[str] | Unset = UNSET
        if not isinstance(self.subprotocols, Unset):
            subprotocols = self.subprotocols

        origin: None | str | Unset
        if isinstance(self.origin, Unset):
            origin = UNSET
        else:
            origin = self.origin

        bearer_token: None | str | Unset
        if isinstance(self.bearer_token, Unset):
            bearer_token = UNSET
        else:
            bearer_token = self.bearer_token

        verify_tls = self.verify_tls

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if send is not UNSET:
            field_dict["send"] = send
        if expect is not UNSET:
            field_dict["expect"] = expect
        if close_code is not UNSET:
            field_dict["close_code"] = close_code
        if subprotocols is not UNSET:
            field_dict["subprotocols"] = subprotocols
        if origin is not UNSET:
            field_dict["origin"] = origin
        if bearer_token is not UNSET:
            field_dict["bearer_token"] = bearer_token
        if verify_tls is not UNSET:
            field_dict["verify_tls"] = verify_tls

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

        def _parse_close_code(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        close_code = _parse_close_code(d.pop("close_code", UNSET))

        subprotocols = cast(list[str], d.pop("subprotocols", UNSET))

        def _parse_origin(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        origin = _parse_origin(d.pop("origin", UNSET))

        def _parse_bearer_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        bearer_token = _parse_bearer_token(d.pop("bearer_token", UNSET))

        verify_tls = d.pop("verify_tls", UNSET)

        websocket_options = cls(
            send=send,
            expect=expect,
            close_code=close_code,
            subprotocols=subprotocols,
            origin=origin,
            bearer_token=bearer_token,
            verify_tls=verify_tls,
        )

        return websocket_options
