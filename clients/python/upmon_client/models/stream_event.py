from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.anomaly_cleared import AnomalyCleared
    from ..models.anomaly_detected import AnomalyDetected
    from ..models.check_due import CheckDue
    from ..models.check_result import CheckResult
    from ..models.delivery import Delivery
    from ..models.incident_escalated import IncidentEscalated
    from ..models.incident_opened import IncidentOpened
    from ..models.incident_reminder import IncidentReminder
    from ..models.incident_resolved import IncidentResolved
    from ..models.job_run import JobRun
    from ..models.monitor_deleted import MonitorDeleted
    from ..models.monitor_state_changed import MonitorStateChanged
    from ..models.monitor_upserted import MonitorUpserted


T = TypeVar("T", bound="StreamEvent")


@_attrs_define
class StreamEvent:
    """
    Attributes:
        seq (int):
        subject (str):
        time (str):
        event (AnomalyCleared | AnomalyDetected | CheckDue | CheckResult | Delivery | IncidentEscalated | IncidentOpened
            | IncidentReminder | IncidentResolved | JobRun | MonitorDeleted | MonitorStateChanged | MonitorUpserted | None |
            Unset):
        text (None | str | Unset):
        payload_b64 (None | str | Unset):
    """

    seq: int
    subject: str
    time: str
    event: (
        AnomalyCleared
        | AnomalyDetected
        | CheckDue
        | CheckResult
        | Delivery
        | IncidentEscalated
        | IncidentOpened
        | IncidentReminder
        | IncidentResolved
        | JobRun
        | MonitorDeleted
        | MonitorStateChanged
        | MonitorUpserted
        | None
        | Unset
    ) = UNSET
    text: None | str | Unset = UNSET
    payload_b64: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.anomaly_cleared import AnomalyCleared  # noqa: PLC0415
        from ..models.anomaly_detected import AnomalyDetected  # noqa: PLC0415
        from ..models.check_due import CheckDue  # noqa: PLC0415
        from ..models.check_result import CheckResult  # noqa: PLC0415
        from ..models.delivery import Delivery  # noqa: PLC0415
        from ..models.incident_escalated import IncidentEscalated  # noqa: PLC0415
        from ..models.incident_opened import IncidentOpened  # noqa: PLC0415
        from ..models.incident_reminder import IncidentReminder  # noqa: PLC0415
        from ..models.incident_resolved import IncidentResolved  # noqa: PLC0415
        from ..models.job_run import JobRun  # noqa: PLC0415
        from ..models.monitor_deleted import MonitorDeleted  # noqa: PLC0415
        from ..models.monitor_state_changed import MonitorStateChanged  # noqa: PLC0415
        from ..models.monitor_upserted import MonitorUpserted  # noqa: PLC0415

        seq = self.seq

        subject = self.subject

        time = self.time

        event: dict[str, Any] | None | Unset
        if isinstance(self.event, Unset):
            event = UNSET
        elif isinstance(self.event, MonitorUpserted):
            event = self.event.to_dict()
        elif isinstance(self.event, MonitorDeleted):
            event = self.event.to_dict()
        elif isinstance(self.event, CheckDue):
            event = self.event.to_dict()
        elif isinstance(self.event, CheckResult):
            event = self.event.to_dict()
        elif isinstance(self.event, JobRun):
            event = self.event.to_dict()
        elif isinstance(self.event, IncidentOpened):
            event = self.event.to_dict()
        elif isinstance(self.event, IncidentResolved):
            event = self.event.to_dict()
        elif isinstance(self.event, IncidentReminder):
            event = self.event.to_dict()
        elif isinstance(self.event, IncidentEscalated):
            event = self.event.to_dict()
        elif isinstance(self.event, MonitorStateChanged):
            event = self.event.to_dict()
        elif isinstance(self.event, AnomalyDetected):
            event = self.event.to_dict()
        elif isinstance(self.event, AnomalyCleared):
            event = self.event.to_dict()
        elif isinstance(self.event, Delivery):
            event = self.event.to_dict()
        else:
            event = self.event

        text: None | str | Unset
        if isinstance(self.text, Unset):
            text = UNSET
        else:
            text = self.text

        payload_b64: None | str | Unset
        if isinstance(self.payload_b64, Unset):
            payload_b64 = UNSET
        else:
            payload_b64 = self.payload_b64

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "seq": seq,
                "subject": subject,
                "time": time,
            }
        )
        if event is not UNSET:
            field_dict["event"] = event
        if text is not UNSET:
            field_dict["text"] = text
        if payload_b64 is not UNSET:
            field_dict["payload_b64"] = payload_b64

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.anomaly_cleared import AnomalyCleared  # noqa: PLC0415
        from ..models.anomaly_detected import AnomalyDetected  # noqa: PLC0415
        from ..models.check_due import CheckDue  # noqa: PLC0415
        from ..models.check_result import CheckResult  # noqa: PLC0415
        from ..models.delivery import Delivery  # noqa: PLC0415
        from ..models.incident_escalated import IncidentEscalated  # noqa: PLC0415
        from ..models.incident_opened import IncidentOpened  # noqa: PLC0415
        from ..models.incident_reminder import IncidentReminder  # noqa: PLC0415
        from ..models.incident_resolved import IncidentResolved  # noqa: PLC0415
        from ..models.job_run import JobRun  # noqa: PLC0415
        from ..models.monitor_deleted import MonitorDeleted  # noqa: PLC0415
        from ..models.monitor_state_changed import MonitorStateChanged  # noqa: PLC0415
        from ..models.monitor_upserted import MonitorUpserted  # noqa: PLC0415

        d = dict(src_dict)
        seq = d.pop("seq")

        subject = d.pop("subject")

        time = d.pop("time")

        def _parse_event(
            data: object,
        ) -> (
            AnomalyCleared
            | AnomalyDetected
            | CheckDue
            | CheckResult
            | Delivery
            | IncidentEscalated
            | IncidentOpened
            | IncidentReminder
            | IncidentResolved
            | JobRun
            | MonitorDeleted
            | MonitorStateChanged
            | MonitorUpserted
            | None
            | Unset
        ):
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                event_type_0_type_0 = MonitorUpserted.from_dict(data)

                return event_type_0_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                event_type_0_type_1 = MonitorDeleted.from_dict(data)

                return event_type_0_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                event_type_0_type_2 = CheckDue.from_dict(data)

                return event_type_0_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                event_type_0_type_3 = CheckResult.from_dict(data)

                return event_type_0_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                event_type_0_type_4 = JobRun.from_dict(data)

                return event_type_0_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                event_type_0_type_5 = IncidentOpened.from_dict(data)

                return event_type_0_type_5
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                event_type_0_type_6 = IncidentResolved.from_dict(data)

                return event_type_0_type_6
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                event_type_0_type_7 = IncidentReminder.from_dict(data)

                return event_type_0_type_7
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                event_type_0_type_8 = IncidentEscalated.from_dict(data)

                return event_type_0_type_8
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                event_type_0_type_9 = MonitorStateChanged.from_dict(data)

                return event_type_0_type_9
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                event_type_0_type_10 = AnomalyDetected.from_dict(data)

                return event_type_0_type_10
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                event_type_0_type_11 = AnomalyCleared.from_dict(data)

                return event_type_0_type_11
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                event_type_0_type_12 = Delivery.from_dict(data)

                return event_type_0_type_12
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                AnomalyCleared
                | AnomalyDetected
                | CheckDue
                | CheckResult
                | Delivery
                | IncidentEscalated
                | IncidentOpened
                | IncidentReminder
                | IncidentResolved
                | JobRun
                | MonitorDeleted
                | MonitorStateChanged
                | MonitorUpserted
                | None
                | Unset,
                data,
            )

        event = _parse_event(d.pop("event", UNSET))

        def _parse_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        text = _parse_text(d.pop("text", UNSET))

        def _parse_payload_b64(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        payload_b64 = _parse_payload_b64(d.pop("payload_b64", UNSET))

        stream_event = cls(
            seq=seq,
            subject=subject,
            time=time,
            event=event,
            text=text,
            payload_b64=payload_b64,
        )

        stream_event.additional_properties = d
        return stream_event

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
