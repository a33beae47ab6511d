from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PurgeRequest")


@_attrs_define
class PurgeRequest:
    """
    Attributes:
        older_than (str):
        dry_run (bool | Unset):  Default: False.
    """

    older_than: str
    dry_run: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        older_than = self.older_than

        dry_run = self.dry_run

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "older_than": older_than,
            }
        )
        if dry_run is not UNSET:
            field_dict["dry_run"] = dry_run

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        older_than = d.pop("older_than")

        dry_run = d.pop("dry_run", UNSET)

        purge_request = cls(
            older_than=older_than,
            dry_run=dry_run,
        )

        return purge_request
