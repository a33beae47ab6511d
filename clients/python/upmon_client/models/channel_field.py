from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.channel_field_input import ChannelFieldInput
from ..types import UNSET, Unset

T = TypeVar("T", bound="ChannelField")


@_attrs_define
class ChannelField:
    """One input of a kind's form, named as its `config` names it.

    Attributes:
        name (str):
        label (str):
        input_ (ChannelFieldInput):
        required (bool | Unset):  Default: False.
    """

    name: str
    label: str
    input_: ChannelFieldInput
    required: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        label = self.label

        input_ = self.input_.value

        required = self.required

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "label": label,
                "input": input_,
            }
        )
        if required is not UNSET:
            field_dict["required"] = required

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        label = d.pop("label")

        input_ = ChannelFieldInput(d.pop("input"))

        required = d.pop("required", UNSET)

        channel_field = cls(
            name=name,
            label=label,
            input_=input_,
            required=required,
        )

        channel_field.additional_properties = d
        return channel_field

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
