from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.config_apply_change import ConfigApplyChange


T = TypeVar("T", bound="ApplyReport")


@_attrs_define
class ApplyReport:
    """
    Attributes:
        dry_run (bool):
        prune (bool):
        changes (list[ConfigApplyChange]):
        created (int):
        updated (int):
        deleted (int):
        unchanged (int):
    """

    dry_run: bool
    prune: bool
    changes: list[ConfigApplyChange]
    created: int
    updated: int
    deleted: int
    unchanged: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dry_run = self.dry_run

        prune = self.prune

        changes = []
        for changes_item_data in self.changes:
            changes_item = changes_item_data.to_dict()
            changes.append(changes_item)

        created = self.created

        updated = self.updated

        deleted = self.deleted

        unchanged = self.unchanged

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dry_run": dry_run,
                "prune": prune,
                "changes": changes,
                "created": created,
                "updated": updated,
                "deleted": deleted,
                "unchanged": unchanged,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.config_apply_change import ConfigApplyChange  # noqa: PLC0415

        d = dict(src_dict)
        dry_run = d.pop("dry_run")

        prune = d.pop("prune")

        changes = []
        _changes = d.pop("changes")
        for changes_item_data in _changes:
            changes_item = ConfigApplyChange.from_dict(changes_item_data)

            changes.append(changes_item)

        created = d.pop("created")

        updated = d.pop("updated")

        deleted = d.pop("deleted")

        unchanged = d.pop("unchanged")

        apply_report = cls(
            dry_run=dry_run,
            prune=prune,
            changes=changes,
            created=created,
            updated=updated,
            deleted=deleted,
            unchanged=unchanged,
        )

        apply_report.additional_properties = d
        return apply_report

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
