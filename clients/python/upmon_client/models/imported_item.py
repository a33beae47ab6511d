from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.imported_item_outcome import ImportedItemOutcome
from ..types import UNSET, Unset

T = TypeVar("T", bound="ImportedItem")


@_attrs_define
class ImportedItem:
    """
    Attributes:
        source (str):
        outcome (ImportedItemOutcome):
        reason (None | str | Unset):
        kind (None | str | Unset):
        monitor_id (None | str | Unset):
        push_url (None | str | Unset):
        notes (list[str] | Unset):
    """

    source: str
    outcome: ImportedItemOutcome
    reason: None | str | Unset = UNSET
    kind: None | str | Unset = UNSET
    monitor_id: None | str | Unset = UNSET
    push_url: None | str | Unset = UNSET
    notes: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        source = self.source

        outcome = self.outcome.value

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        kind: None | str | Unset
        if isinstance(self.kind, Unset):
            kind = UNSET
        else:
            kind = self.kind

        monitor_id: None | str | Unset
        if isinstance(self.monitor_id, Unset):
            monitor_id = UNSET
        else:
            monitor_id = self.monitor_id

        push_url: None | str | Unset
        if isinstance(self.push_url, Unset):
            push_url = UNSET
        else:
            push_url = self.push_url

        notes: list[str] | Unset = UNSET
        if not isinstance(self.notes, Unset):
            notes = self.notes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "source": source,
                "outcome": outcome,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason
        if kind is not UNSET:
            field_dict["kind"] = kind
        if monitor_id is not UNSET:
            field_dict["monitor_id"] = monitor_id
        if push_url is not UNSET:
            field_dict["push_url"] = push_url
        if notes is not UNSET:
            field_dict["notes"] = notes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        source = d.pop("source")

        outcome = ImportedItemOutcome(d.pop("outcome"))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_kind(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        kind = _parse_kind(d.pop("kind", UNSET))

        def _parse_monitor_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        monitor_id = _parse_monitor_id(d.pop("monitor_id", UNSET))

        def _parse_push_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        push_url = _parse_push_url(d.pop("push_url", UNSET))

        notes = cast(list[str], d.pop("notes", UNSET))

        imported_item = cls(
            source=source,
            outcome=outcome,
            reason=reason,
            kind=kind,
            monitor_id=monitor_id,
            push_url=push_url,
            notes=notes,
        )

        imported_item.additional_properties = d
        return imported_item

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
