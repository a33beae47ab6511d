from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.monitor_kind_view_kind import MonitorKindViewKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.monitor_form_field import MonitorFormField
    from ..models.monitor_target import MonitorTarget


T = TypeVar("T", bound="MonitorKindView")


@_attrs_define
class MonitorKindView:
    """
    Attributes:
        kind (MonitorKindViewKind):
        title (str):
        summary (str):
        target (MonitorTarget):
        probed (bool):
        fields (list[MonitorFormField]):
        secrets (list[str]):
        error_kinds (list[str]):
        preselected (bool | Unset):  Default: False.
    """

    kind: MonitorKindViewKind
    title: str
    summary: str
    target: MonitorTarget
    probed: bool
    fields: list[MonitorFormField]
    secrets: list[str]
    error_kinds: list[str]
    preselected: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        title = self.title

        summary = self.summary

        target = self.target.to_dict()

        probed = self.probed

        fields = []
        for fields_item_data in self.fields:
            fields_item = fields_item_data.to_dict()
            fields.append(fields_item)

        secrets = self.secrets

        error_kinds = self.error_kinds

        preselected = self.preselected

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "title": title,
                "summary": summary,
                "target": target,
                "probed": probed,
                "fields": fields,
                "secrets": secrets,
                "error_kinds": error_kinds,
            }
        )
        if preselected is not UNSET:
            field_dict["preselected"] = preselected

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.monitor_form_field import MonitorFormField  # noqa: PLC0415
        from ..models.monitor_target import MonitorTarget  # noqa: PLC0415

        d = dict(src_dict)
        kind = MonitorKindViewKind(d.pop("kind"))

        title = d.pop("title")

        summary = d.pop("summary")

        target = MonitorTarget.from_dict(d.pop("target"))

        probed = d.pop("probed")

        fields = []
        _fields = d.pop("fields")
        for fields_item_data in _fields:
            fields_item = MonitorFormField.from_dict(fields_item_data)

            fields.append(fields_item)

        secrets = cast(list[str], d.pop("secrets"))

        error_kinds = cast(list[str], d.pop("error_kinds"))

        preselected = d.pop("preselected", UNSET)

        monitor_kind_view = cls(
            kind=kind,
            title=title,
            summary=summary,
            target=target,
            probed=probed,
            fields=fields,
            secrets=secrets,
            error_kinds=error_kinds,
            preselected=preselected,
        )

        monitor_kind_view.additional_properties = d
        return monitor_kind_view

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
