from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.leader_report_behind import LeaderReportBehind
    from ..models.move import Move
    from ..models.node_load import NodeLoad


T = TypeVar("T", bound="LeaderReport")


@_attrs_define
class LeaderReport:
    """
    Attributes:
        nodes (list[NodeLoad]):
        moves (list[Move] | Unset):
        stuck (list[str] | Unset):
        failed (list[str] | Unset):
        single (bool | Unset):  Default: False.
        behind (LeaderReportBehind | Unset):
    """

    nodes: list[NodeLoad]
    moves: list[Move] | Unset = UNSET
    stuck: list[str] | Unset = UNSET
    failed: list[str] | Unset = UNSET
    single: bool | Unset = False
    behind: LeaderReportBehind | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        nodes = []
        for nodes_item_data in self.nodes:
            nodes_item = nodes_item_data.to_dict()
            nodes.append(nodes_item)

        moves: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.moves, Unset):
            moves = []
            for moves_item_data in self.moves:
                moves_item = moves_item_data.to_dict()
                moves.append(moves_item)

        stuck: list[str] | Unset = UNSET
        if not isinstance(self.stuck, Unset):
            stuck = self.stuck

        failed: list[str] | Unset = UNSET
        if not isinstance(self.failed, Unset):
            failed = self.failed

        single = self.single

        behind: dict[str, Any] | Unset = UNSET
        if not isinstance(self.behind, Unset):
            behind = self.behind.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "nodes": nodes,
            }
        )
        if moves is not UNSET:
            field_dict["moves"] = moves
        if stuck is not UNSET:
            field_dict["stuck"] = stuck
        if failed is not UNSET:
            field_dict["failed"] = failed
        if single is not UNSET:
            field_dict["single"] = single
        if behind is not UNSET:
            field_dict["behind"] = behind

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.leader_report_behind import LeaderReportBehind  # noqa: PLC0415
        from ..models.move import Move  # noqa: PLC0415
        from ..models.node_load import NodeLoad  # noqa: PLC0415

        d = dict(src_dict)
        nodes = []
        _nodes = d.pop("nodes")
        for nodes_item_data in _nodes:
            nodes_item = NodeLoad.from_dict(nodes_item_data)

            nodes.append(nodes_item)

        _moves = d.pop("moves", UNSET)
        moves: list[Move] | Unset = UNSET
        if _moves is not UNSET:
            moves = []
            for moves_item_data in _moves:
                moves_item = Move.from_dict(moves_item_data)

                moves.append(moves_item)

        stuck = cast(list[str], d.pop("stuck", UNSET))

        failed = cast(list[str], d.pop("failed", UNSET))

        single = d.pop("single", UNSET)

        _behind = d.pop("behind", UNSET)
        behind: LeaderReportBehind | Unset
        if isinstance(_behind, Unset):
            behind = UNSET
        else:
            behind = LeaderReportBehind.from_dict(_behind)

        leader_report = cls(
            nodes=nodes,
            moves=moves,
            stuck=stuck,
            failed=failed,
            single=single,
            behind=behind,
        )

        leader_report.additional_properties = d
        return leader_report

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
