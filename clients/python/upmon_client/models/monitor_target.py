from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.monitor_target_form import MonitorTargetForm

T = TypeVar("T", bound="MonitorTarget")


@_attrs_define
class MonitorTarget:
    """
    Attributes:
        form (MonitorTargetForm):
        example (str):
        default_port (int | None):
        schemes (list[str]):
    """

    form: MonitorTargetForm
    example: str
    default_port: int | None
    schemes: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        form = self.form.value

        example = self.example

        default_port: int | None
        default_port = self.default_port

        schemes = self.schemes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "form": form,
                "example": example,
                "default_port": default_port,
                "schemes": schemes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        form = MonitorTargetForm(d.pop("form"))

        example = d.pop("example")

        def _parse_default_port(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        default_port = _parse_default_port(d.pop("default_port"))

        schemes = cast(list[str], d.pop("schemes"))

        monitor_target = cls(
            form=form,
            example=example,
            default_port=default_port,
            schemes=schemes,
        )

        monitor_target.additional_properties = d
        return monitor_target

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
