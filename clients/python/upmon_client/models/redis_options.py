from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RedisOptions")


@_attrs_define
class RedisOptions:
    """
    Attributes:
        username (None | str | Unset):
        password (None | str | Unset):
        database (int | Unset):  Default: 0.
        tls (bool | Unset):  Default: False.
        verify_tls (bool | Unset):  Default: True.
    """

    username: None | str | Unset = UNSET
    password: None | str | Unset = UNSET
    database: int | Unset = 0
    tls: bool | Unset = False
    verify_tls: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        username: None | str | Unset
        if isinstance(self.username, Unset):
            username = UNSET
        else:
            username = self.username

        password: None | str | Unset
        if isinstance(self.password, Unset):
            password = UNSET
        else:
            password = self.password

        database = self.database

        tls = self.tls

        verify_tls = self.verify_tls

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if username is not UNSET:
            field_dict["username"] = username
        if password is not UNSET:
            field_dict["password"] = password
        if database is not UNSET:
            field_dict["database"] = database
        if tls is not UNSET:
            field_dict["tls"] = tls
        if verify_tls is not UNSET:
            field_dict["verify_tls"] = verify_tls

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_username(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        username = _parse_username(d.pop("username", UNSET))

        def _parse_password(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        password = _parse_password(d.pop("password", UNSET))

        database = d.pop("database", UNSET)

        tls = d.pop("tls", UNSET)

        verify_tls = d.pop("verify_tls", UNSET)

        redis_options = cls(
            username=username,
            password=password,
            database=database,
            tls=tls,
            verify_tls=verify_tls,
        )

        return redis_options
