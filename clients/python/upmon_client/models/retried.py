from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Retried")


@_attrs_define
class Retried:
    """
    Attributes:
        id (str):
        subject (str):
        stream (str):
        seq (int):
        duplicate (bool | Unset):  Default: False.
    """

    id: str
    subject: str
    stream: str
    seq: int
    duplicate: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        subject = self.subject

        stream = self.stream

        seq = self.seq

        duplicate = self.duplicate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "subject": subject,
                "stream": stream,
                "seq": seq,
            }
        )
        if duplicate is not UNSET:
            field_dict["duplicate"] = duplicate

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        subject = d.pop("subject")

        stream = d.pop("stream")

        seq = d.pop("seq")

        duplicate = d.pop("duplicate", UNSET)

        retried = cls(
            id=id,
            subject=subject,
            stream=stream,
            seq=seq,
            duplicate=duplicate,
        )

        retried.additional_properties = d
        return retried

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
