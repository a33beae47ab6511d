from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.monitor_form_field_input import MonitorFormFieldInput
from ..types import UNSET, Unset

T = TypeVar("T", bound="MonitorFormField")


@_attrs_define
class MonitorFormField:
    """One input of a kind's form, named as its options block names it.

    Attributes:
        name (str):
        label (str):
        input_ (MonitorFormFieldInput):
        choices (list[str] | Unset):
        placeholder (str | Unset):  Default: ''.
        help_ (str | Unset):  Default: ''.
        default (Any | Unset):
    """

    name: str
    label: str
    input_: MonitorFormFieldInput
    choices: list[str] | Unset = UNSET
    placeholder: str | Unset = ""
    help_: str | Unset = ""
    default: Any | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        label = self.label

        input_ = self.input_.value

        choices: list[str] | Unset = UNSET
        if not isinstance(self.choices, Unset):
            choices = self.choices

        placeholder = self.placeholder

        help_ = self.help_

        default = self.default

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "label": label,
                "input": input_,
            }
        )
        if choices is not UNSET:
            field_dict["choices"] = choices
        if placeholder is not UNSET:
            field_dict["placeholder"] = placeholder
        if help_ is not UNSET:
            field_dict["help"] = help_
        if default is not UNSET:
            field_dict["default"] = default

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        label = d.pop("label")

        input_ = MonitorFormFieldInput(d.pop("input"))

        choices = cast(list[str], d.pop("choices", UNSET))

        placeholder = d.pop("placeholder", UNSET)

        help_ = d.pop("help", UNSET)

        default = d.pop("default", UNSET)

        monitor_form_field = cls(
            name=name,
            label=label,
            input_=input_,
            choices=choices,
            placeholder=placeholder,
            help_=help_,
            default=default,
        )

        monitor_form_field.additional_properties = d
        return monitor_form_field

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
