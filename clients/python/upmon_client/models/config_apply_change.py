from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.config_apply_change_action import ConfigApplyChangeAction
from ..models.config_apply_change_kind import ConfigApplyChangeKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="ConfigApplyChange")


@_attrs_define
class ConfigApplyChange:
    """
    Attributes:
        kind (ConfigApplyChangeKind):
        key (str):
        action (ConfigApplyChangeAction):
        fields (list[str] | Unset):
    """

    kind: ConfigApplyChangeKind
    key: str
    action: ConfigApplyChangeAction
    fields: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        key = self.key

        action = self.action.value

        fields: list[str] | Unset = UNSET
        if not isinstance(self.fields, Unset):
            fields = self.fields

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "key": key,
                "action": action,
            }
        )
        if fields is not UNSET:
            field_dict["fields"] = fields

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = ConfigApplyChangeKind(d.pop("kind"))

        key = d.pop("key")

        action = ConfigApplyChangeAction(d.pop("action"))

        fields = cast(list[str], d.pop("fields", UNSET))

        config_apply_change = cls(
            kind=kind,
            key=key,
            action=action,
            fields=fields,
        )

        config_apply_change.additional_properties = d
        return config_apply_change

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
