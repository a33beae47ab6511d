from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AnalysisBody")


@_attrs_define
class AnalysisBody:
    """
    Attributes:
        monitor_id (None | Unset | UUID):
    """

    monitor_id: None | Unset | UUID = UNSET

    def to_dict(self) -> dict[str, Any]:
        monitor_id: None | str | Unset
        if isinstance(self.monitor_id, Unset):
            monitor_id = UNSET
        elif isinstance(self.monitor_id, UUID):
            monitor_id = str(self.monitor_id)
        else:
            monitor_id = self.monitor_id

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if monitor_id is not UNSET:
            field_dict["monitor_id"] = monitor_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_monitor_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                monitor_id_type_0 = UUID(data)

                return monitor_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        monitor_id = _parse_monitor_id(d.pop("monitor_id", UNSET))

        analysis_body = cls(
            monitor_id=monitor_id,
        )

        return analysis_body
