from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="Escalation")


@_attrs_define
class Escalation:
    """
    Attributes:
        after_s (int):
        channel_ids (list[str]):
    """

    after_s: int
    channel_ids: list[str]

    def to_dict(self) -> dict[str, Any]:
        after_s = self.after_s

        channel_ids = self.channel_ids

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "after_s": after_s,
                "channel_ids": channel_ids,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        after_s = d.pop("after_s")

        channel_ids = cast(list[str], d.pop("channel_ids"))

        escalation = cls(
            after_s=after_s,
            channel_ids=channel_ids,
        )

        return escalation
