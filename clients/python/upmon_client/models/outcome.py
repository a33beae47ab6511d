from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.outcome_action import OutcomeAction
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.outcome_failed import OutcomeFailed


T = TypeVar("T", bound="Outcome")


@_attrs_define
class Outcome:
    """
    Attributes:
        action (OutcomeAction):
        dry_run (bool):
        matched (int):
        affected (int):
        ids (list[str]):
        failed (OutcomeFailed | Unset):
    """

    action: OutcomeAction
    dry_run: bool
    matched: int
    affected: int
    ids: list[str]
    failed: OutcomeFailed | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action.value

        dry_run = self.dry_run

        matched = self.matched

        affected = self.affected

        ids = self.ids

        failed: dict[str, Any] | Unset = UNSET
        if not isinstance(self.failed, Unset):
            failed = self.failed.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "dry_run": dry_run,
                "matched": matched,
                "affected": affected,
                "ids": ids,
            }
        )
        if failed is not UNSET:
            field_dict["failed"] = failed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.outcome_failed import OutcomeFailed  # noqa: PLC0415

        d = dict(src_dict)
        action = OutcomeAction(d.pop("action"))

        dry_run = d.pop("dry_run")

        matched = d.pop("matched")

        affected = d.pop("affected")

        ids = cast(list[str], d.pop("ids"))

        _failed = d.pop("failed", UNSET)
        failed: OutcomeFailed | Unset
        if isinstance(_failed, Unset):
            failed = UNSET
        else:
            failed = OutcomeFailed.from_dict(_failed)

        outcome = cls(
            action=action,
            dry_run=dry_run,
            matched=matched,
            affected=affected,
            ids=ids,
            failed=failed,
        )

        outcome.additional_properties = d
        return outcome

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
