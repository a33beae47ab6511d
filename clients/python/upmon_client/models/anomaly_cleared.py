from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.anomaly_cleared_type import AnomalyClearedType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.anomaly_ref import AnomalyRef
    from ..models.incident_ref import IncidentRef
    from ..models.monitor_ref import MonitorRef
    from ..models.result_ref import ResultRef


T = TypeVar("T", bound="AnomalyCleared")


@_attrs_define
class AnomalyCleared:
    """
    Attributes:
        type_ (AnomalyClearedType):
        monitor (MonitorRef):
        incident (IncidentRef):
        anomaly (AnomalyRef): What an anomaly is about: a metric of one region against its own baseline.
        channel_ids (list[str] | Unset):
        result (None | ResultRef | Unset):
        id (str | Unset):
        v (int | Unset):  Default: 1.
        at (str | Unset):
    """

    type_: AnomalyClearedType
    monitor: MonitorRef
    incident: IncidentRef
    anomaly: AnomalyRef
    channel_ids: list[str] | Unset = UNSET
    result: None | ResultRef | Unset = UNSET
    id: str | Unset = UNSET
    v: int | Unset = 1
    at: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.result_ref import ResultRef  # noqa: PLC0415

        type_ = self.type_.value

        monitor = self.monitor.to_dict()

        incident = self.incident.to_dict()

        anomaly = self.anomaly.to_dict()

        channel_ids: list[str] | Unset = UNSET
        if not isinstance(self.channel_ids, Unset):
            channel_ids = self.channel_ids

        result: dict[str, Any] | None | Unset
        if isinstance(self.result, Unset):
            result = UNSET
        elif isinstance(self.result, ResultRef):
            result = self.result.to_dict()
        else:
            result = self.result

        id = self.id

        v = self.v

        at = self.at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "monitor": monitor,
                "incident": incident,
                "anomaly": anomaly,
            }
        )
        if channel_ids is not UNSET:
            field_dict["channel_ids"] = channel_ids
        if result is not UNSET:
            field_dict["result"] = result
        if id is not UNSET:
            field_dict["id"] = id
        if v is not UNSET:
            field_dict["v"] = v
        if at is not UNSET:
            field_dict["at"] = at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.anomaly_ref import AnomalyRef  # noqa: PLC0415
        from ..models.incident_ref import IncidentRef  # noqa: PLC0415
        from ..models.monitor_ref import MonitorRef  # noqa: PLC0415
        from ..models.result_ref import ResultRef  # noqa: PLC0415

        d = dict(src_dict)
        type_ = AnomalyClearedType(d.pop("type"))

        monitor = MonitorRef.from_dict(d.pop("monitor"))

        incident = IncidentRef.from_dict(d.pop("incident"))

        anomaly = AnomalyRef.from_dict(d.pop("anomaly"))

        channel_ids = cast(list[str], d.pop("channel_ids", UNSET))

        def _parse_result(data: object) -> None | ResultRef | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0 = ResultRef.from_dict(data)

                return result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ResultRef | Unset, data)

        result = _parse_result(d.pop("result", UNSET))

        id = d.pop("id", UNSET)

        v = d.pop("v", UNSET)

        at = d.pop("at", UNSET)

        anomaly_cleared = cls(
            type_=type_,
            monitor=monitor,
            incident=incident,
            anomaly=anomaly,
            channel_ids=channel_ids,
            result=result,
            id=id,
            v=v,
            at=at,
        )

        anomaly_cleared.additional_properties = d
        return anomaly_cleared

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
