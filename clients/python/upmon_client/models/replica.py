from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.replica_info import ReplicaInfo


T = TypeVar("T", bound="Replica")


@_attrs_define
class Replica:
    """
    Attributes:
        service (str):
        id (str):
        host (str):
        pid (int):
        started_at (str):
        last_seen (str):
        info (ReplicaInfo | Unset):
        nats_server (str | Unset):  Default: ''.
        nats_reconnects (int | Unset):  Default: 0.
    """

    service: str
    id: str
    host: str
    pid: int
    started_at: str
    last_seen: str
    info: ReplicaInfo | Unset = UNSET
    nats_server: str | Unset = ""
    nats_reconnects: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        service = self.service

        id = self.id

        host = self.host

        pid = self.pid

        started_at = self.started_at

        last_seen = self.last_seen

        info: dict[str, Any] | Unset = UNSET
        if not isinstance(self.info, Unset):
            info = self.info.to_dict()

        nats_server = self.nats_server

        nats_reconnects = self.nats_reconnects

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "service": service,
                "id": id,
                "host": host,
                "pid": pid,
                "started_at": started_at,
                "last_seen": last_seen,
            }
        )
        if info is not UNSET:
            field_dict["info"] = info
        if nats_server is not UNSET:
            field_dict["nats_server"] = nats_server
        if nats_reconnects is not UNSET:
            field_dict["nats_reconnects"] = nats_reconnects

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.replica_info import ReplicaInfo  # noqa: PLC0415

        d = dict(src_dict)
        service = d.pop("service")

        id = d.pop("id")

        host = d.pop("host")

        pid = d.pop("pid")

        started_at = d.pop("started_at")

        last_seen = d.pop("last_seen")

        _info = d.pop("info", UNSET)
        info: ReplicaInfo | Unset
        if isinstance(_info, Unset):
            info = UNSET
        else:
            info = ReplicaInfo.from_dict(_info)

        nats_server = d.pop("nats_server", UNSET)

        nats_reconnects = d.pop("nats_reconnects", UNSET)

        replica = cls(
            service=service,
            id=id,
            host=host,
            pid=pid,
            started_at=started_at,
            last_seen=last_seen,
            info=info,
            nats_server=nats_server,
            nats_reconnects=nats_reconnects,
        )

        replica.additional_properties = d
        return replica

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
