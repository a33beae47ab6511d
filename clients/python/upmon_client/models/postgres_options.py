from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.postgres_options_sslmode import PostgresOptionsSslmode
from ..types import UNSET, Unset

T = TypeVar("T", bound="PostgresOptions")


@_attrs_define
class PostgresOptions:
    """
    Attributes:
        user (str | Unset):  Default: 'postgres'.
        password (None | str | Unset):
        database (str | Unset):  Default: 'postgres'.
        sslmode (PostgresOptionsSslmode | Unset):  Default: PostgresOptionsSslmode.PREFER.
    """

    user: str | Unset = "postgres"
    password: None | str | Unset = UNSET
    database: str | Unset = "postgres"
    sslmode: PostgresOptionsSslmode | Unset = PostgresOptionsSslmode.PREFER

    def to_dict(self) -> dict[str, Any]:
        user = self.user

        password: None | str | Unset
        if isinstance(self.password, Unset):
            password = UNSET
        else:
            password = self.password

        database = self.database

        sslmode: str | Unset = UNSET
        if not isinstance(self.sslmode, Unset):
            sslmode = self.sslmode.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if user is not UNSET:
            field_dict["user"] = user
        if password is not UNSET:
            field_dict["password"] = password
        if database is not UNSET:
            field_dict["database"] = database
        if sslmode is not UNSET:
            field_dict["sslmode"] = sslmode

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        user = d.pop("user", UNSET)

        def _parse_password(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        password = _parse_password(d.pop("password", UNSET))

        database = d.pop("database", UNSET)

        _sslmode = d.pop("sslmode", UNSET)
        sslmode: PostgresOptionsSslmode | Unset
        if isinstance(_sslmode, Unset):
            sslmode = UNSET
        else:
            sslmode = PostgresOptionsSslmode(_sslmode)

        postgres_options = cls(
            user=user,
            password=password,
            database=database,
            sslmode=sslmode,
        )

        return postgres_options
