from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.delivery_event import DeliveryEvent
from ..models.delivery_type import DeliveryType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.anomaly_ref import AnomalyRef
    from ..models.incident_ref import IncidentRef
    from ..models.monitor_ref import MonitorRef
    from ..models.result_ref import ResultRef


T = TypeVar("T", bound="Delivery")


@_attrs_define
class Delivery:
    """
    Attributes:
        type_ (DeliveryType):
        delivery_id (str):
        channel_id (str):
        event (DeliveryEvent):
        source_event_id (str):
        monitor (MonitorRef):
        incident (IncidentRef | None | Unset):
        result (None | ResultRef | Unset):
        anomaly (AnomalyRef | None | Unset):
        id (str | Unset):
        v (int | Unset):  Default: 1.
        at (str | Unset):
    """

    type_: DeliveryType
    delivery_id: str
    channel_id: str
    event: DeliveryEvent
    source_event_id: str
    monitor: MonitorRef
    incident: IncidentRef | None | Unset = UNSET
    result: None | ResultRef | Unset = UNSET
    anomaly: AnomalyRef | None | Unset = UNSET
    id: str | Unset = UNSET
    v: int | Unset = 1
    at: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.anomaly_ref import AnomalyRef  # noqa: PLC0415
        from ..models.incident_ref import IncidentRef  # noqa: PLC0415
        from ..models.result_ref import ResultRef  # noqa: PLC0415

        type_ = self.type_.value

        delivery_id = self.delivery_id

        channel_id = self.channel_id

        event = self.event.value

        source_event_id = self.source_event_id

        monitor = self.monitor.to_dict()

        incident: dict[str, Any] | None | Unset
        if isinstance(self.incident, Unset):
            incident = UNSET
        elif isinstance(self.incident, IncidentRef):
            incident = self.incident.to_dict()
        else:
            incident = self.incident

        result: dict[str, Any] | None | Unset
        if isinstance(self.result, Unset):
            result = UNSET
        elif isinstance(self.result, ResultRef):
            result = self.result.to_dict()
        else:
            result = self.result

        anomaly: dict[str, Any] | None | Unset
        if isinstance(self.anomaly, Unset):
            anomaly = UNSET
        elif isinstance(self.anomaly, AnomalyRef):
            anomaly = self.anomaly.to_dict()
        else:
            anomaly = self.anomaly

        id = self.id

        v = self.v

        at = self.at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "delivery_id": delivery_id,
                "channel_id": channel_id,
                "event": event,
                "source_event_id": source_event_id,
                "monitor": monitor,
            }
        )
        if incident is not UNSET:
            field_dict["incident"] = incident
        if result is not UNSET:
            field_dict["result"] = result
        if anomaly is not UNSET:
            field_dict["anomaly"] = anomaly
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
        type_ = DeliveryType(d.pop("type"))

        delivery_id = d.pop("delivery_id")

        channel_id = d.pop("channel_id")

        event = DeliveryEvent(d.pop("event"))

        source_event_id = d.pop("source_event_id")

        monitor = MonitorRef.from_dict(d.pop("monitor"))

        def _parse_incident(data: object) -> IncidentRef | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                incident_type_0 = IncidentRef.from_dict(data)

                return incident_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IncidentRef | None | Unset, data)

        incident = _parse_incident(d.pop("incident", UNSET))

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

        def _parse_anomaly(data: object) -> AnomalyRef | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                anomaly_type_0 = AnomalyRef.from_dict(data)

                return anomaly_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AnomalyRef | None | Unset, data)

        anomaly = _parse_anomaly(d.pop("anomaly", UNSET))

        id = d.pop("id", UNSET)

        v = d.pop("v", UNSET)

        at = d.pop("at", UNSET)

        delivery = cls(
            type_=type_,
            delivery_id=delivery_id,
            channel_id=channel_id,
            event=event,
            source_event_id=source_event_id,
            monitor=monitor,
            incident=incident,
            result=result,
            anomaly=anomaly,
            id=id,
            v=v,
            at=at,
        )

        delivery.additional_properties = d
        return delivery

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
