from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.channel_kind_view_kind import ChannelKindViewKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.channel_field import ChannelField


T = TypeVar("T", bound="ChannelKindView")


@_attrs_define
class ChannelKindView:
    """
    Attributes:
        kind (ChannelKindViewKind):
        fields (list[ChannelField]):
        secrets (list[str]):
        preselected (bool | Unset):  Default: False.
    """

    kind: ChannelKindViewKind
    fields: list[ChannelField]
    secrets: list[str]
    preselected: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        fields = []
        for fields_item_data in self.fields:
            fields_item = fields_item_data.to_dict()
            fields.append(fields_item)

        secrets = self.secrets

        preselected = self.preselected

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "fields": fields,
                "secrets": secrets,
            }
        )
        if preselected is not UNSET:
            field_dict["preselected"] = preselected

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.channel_field import ChannelField  # noqa: PLC0415

        d = dict(src_dict)
        kind = ChannelKindViewKind(d.pop("kind"))

        fields = []
        _fields = d.pop("fields")
        for fields_item_data in _fields:
            fields_item = ChannelField.from_dict(fields_item_data)

            fields.append(fields_item)

        secrets = cast(list[str], d.pop("secrets"))

        preselected = d.pop("preselected", UNSET)

        channel_kind_view = cls(
            kind=kind,
            fields=fields,
            secrets=secrets,
            preselected=preselected,
        )

        channel_kind_view.additional_properties = d
        return channel_kind_view

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
