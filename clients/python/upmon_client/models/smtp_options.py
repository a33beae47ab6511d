from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.smtp_options_tls import SmtpOptionsTls
from ..types import UNSET, Unset

T = TypeVar("T", bound="SmtpOptions")


@_attrs_define
class SmtpOptions:
    """
    Attributes:
        tls (SmtpOptionsTls | Unset):  Default: SmtpOptionsTls.NONE.
        warn_days (int | Unset):  Default: 14.
        ehlo_name (None | str | Unset):
    """

    tls: SmtpOptionsTls | Unset = SmtpOptionsTls.NONE
    warn_days: int | Unset = 14
    ehlo_name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        tls: str | Unset = UNSET
        if not isinstance(self.tls, Unset):
            tls = self.tls.value

        warn_days = self.warn_days

        ehlo_name: None | str | Unset
        if isinstance(self.ehlo_name, Unset):
            ehlo_name = UNSET
        else:
            ehlo_name = self.ehlo_name

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if tls is not UNSET:
            field_dict["tls"] = tls
        if warn_days is not UNSET:
            field_dict["warn_days"] = warn_days
        if ehlo_name is not UNSET:
            field_dict["ehlo_name"] = ehlo_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _tls = d.pop("tls", UNSET)
        tls: SmtpOptionsTls | Unset
        if isinstance(_tls, Unset):
            tls = UNSET
        else:
            tls = SmtpOptionsTls(_tls)

        warn_days = d.pop("warn_days", UNSET)

        def _parse_ehlo_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ehlo_name = _parse_ehlo_name(d.pop("ehlo_name", UNSET))

        smtp_options = cls(
            tls=tls,
            warn_days=warn_days,
            ehlo_name=ehlo_name,
        )

        return smtp_options
