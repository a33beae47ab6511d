from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.leader_order_action import LeaderOrderAction
from ..types import UNSET, Unset

T = TypeVar("T", bound="LeaderOrder")


@_attrs_define
class LeaderOrder:
    """What to do: show what each node leads, balance it, or drain nodes.

    Attributes:
        action (LeaderOrderAction | Unset):  Default: LeaderOrderAction.SHOW.
        nodes (list[str] | Unset):
        sample_s (float | Unset):  Default: 5.0.
        dry_run (bool | Unset):  Default: False.
    """

    action: LeaderOrderAction | Unset = LeaderOrderAction.SHOW
    nodes: list[str] | Unset = UNSET
    sample_s: float | Unset = 5.0
    dry_run: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        action: str | Unset = UNSET
        if not isinstance(self.action, Unset):
            action = self.action.value

        nodes: list[str] | Unset = UNSET
        if not isinstance(self.nodes, Unset):
            nodes = self.nodes

        sample_s = self.sample_s

        dry_run = self.dry_run

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if action is not UNSET:
            field_dict["action"] = action
        if nodes is not UNSET:
            field_dict["nodes"] = nodes
        if sample_s is not UNSET:
            field_dict["sample_s"] = sample_s
        if dry_run is not UNSET:
            field_dict["dry_run"] = dry_run

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _action = d.pop("action", UNSET)
        action: LeaderOrderAction | Unset
        if isinstance(_action, Unset):
            action = UNSET
        else:
            action = LeaderOrderAction(_action)

        nodes = cast(list[str], d.pop("nodes", UNSET))

        sample_s = d.pop("sample_s", UNSET)

        dry_run = d.pop("dry_run", UNSET)

        leader_order = cls(
            action=action,
            nodes=nodes,
            sample_s=sample_s,
            dry_run=dry_run,
        )

        return leader_order
