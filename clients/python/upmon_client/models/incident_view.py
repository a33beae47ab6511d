from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.incident_view_kind import IncidentViewKind
from ..models.incident_view_status import IncidentViewStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.incident_view_details_type_0 import IncidentViewDetailsType0
    from ..models.incident_view_first_result_type_0 import IncidentViewFirstResultType0


T = TypeVar("T", bound="IncidentView")


@_attrs_define
class IncidentView:
    """
    Attributes:
        id (str):
        monitor_id (str):
        status (IncidentViewStatus):
        cause (str):
        regions (list[str]):
        first_result (IncidentViewFirstResultType0 | None):
        opened_at (str):
        acknowledged_at (None | str):
        acknowledged_by (None | str):
        resolved_at (None | str):
        resolved_by (None | str):
        duration_s (float | Unset):  Default: 0.0.
        kind (IncidentViewKind | Unset):  Default: IncidentViewKind.DOWN.
        metric (None | str | Unset):
        details (IncidentViewDetailsType0 | None | Unset):
    """

    id: str
    monitor_id: str
    status: IncidentViewStatus
    cause: str
    regions: list[str]
    first_result: IncidentViewFirstResultType0 | None
    opened_at: str
    acknowledged_at: None | str
    acknowledged_by: None | str
    resolved_at: None | str
    resolved_by: None | str
    duration_s: float | Unset = 0.0
    kind: IncidentViewKind | Unset = IncidentViewKind.DOWN
    metric: None | str | Unset = UNSET
    details: IncidentViewDetailsType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.incident_view_details_type_0 import IncidentViewDetailsType0  # noqa: PLC0415
        from ..models.incident_view_first_result_type_0 import IncidentViewFirstResultType0  # noqa: PLC0415

        id = self.id

        monitor_id = self.monitor_id

        status = self.status.value

        cause = self.cause

        regions = self.regions

        first_result: dict[str, Any] | None
        if isinstance(self.first_result, IncidentViewFirstResultType0):
            first_result = self.first_result.to_dict()
        else:
            first_result = self.first_result

        opened_at = self.opened_at

        acknowledged_at: None | str
        acknowledged_at = self.acknowledged_at

        acknowledged_by: None | str
        acknowledged_by = self.acknowledged_by

        resolved_at: None | str
        resolved_at = self.resolved_at

        resolved_by: None | str
        resolved_by = self.resolved_by

        duration_s = self.duration_s

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        metric: None | str | Unset
        if isinstance(self.metric, Unset):
            metric = UNSET
        else:
            metric = self.metric

        details: dict[str, Any] | None | Unset
        if isinstance(self.details, Unset):
            details = UNSET
        elif isinstance(self.details, IncidentViewDetailsType0):
            details = self.details.to_dict()
        else:
            details = self.details

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "monitor_id": monitor_id,
                "status": status,
                "cause": cause,
                "regions": regions,
                "first_result": first_result,
                "opened_at": opened_at,
                "acknowledged_at": acknowledged_at,
                "acknowledged_by": acknowledged_by,
                "resolved_at": resolved_at,
                "resolved_by": resolved_by,
            }
        )
        if duration_s is not UNSET:
            field_dict["duration_s"] = duration_s
        if kind is not UNSET:
            field_dict["kind"] = kind
        if metric is not UNSET:
            field_dict["metric"] = metric
        if details is not UNSET:
            field_dict["details"] = details

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.incident_view_details_type_0 import IncidentViewDetailsType0  # noqa: PLC0415
        from ..models.incident_view_first_result_type_0 import IncidentViewFirstResultType0  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        monitor_id = d.pop("monitor_id")

        status = IncidentViewStatus(d.pop("status"))

        cause = d.pop("cause")

        regions = cast(list[str], d.pop("regions"))

        def _parse_first_result(data: object) -> IncidentViewFirstResultType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                first_result_type_0 = IncidentViewFirstResultType0.from_dict(data)

                return first_result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IncidentViewFirstResultType0 | None, data)

        first_result = _parse_first_result(d.pop("first_result"))

        opened_at = d.pop("opened_at")

        def _parse_acknowledged_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        acknowledged_at = _parse_acknowledged_at(d.pop("acknowledged_at"))

        def _parse_acknowledged_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        acknowledged_by = _parse_acknowledged_by(d.pop("acknowledged_by"))

        def _parse_resolved_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at"))

        def _parse_resolved_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        resolved_by = _parse_resolved_by(d.pop("resolved_by"))

        duration_s = d.pop("duration_s", UNSET)

        _kind = d.pop("kind", UNSET)
        kind: IncidentViewKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = IncidentViewKind(_kind)

        def _parse_metric(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        metric = _parse_metric(d.pop("metric", UNSET))

        def _parse_details(data: object) -> IncidentViewDetailsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                details_type_0 = IncidentViewDetailsType0.from_dict(data)

                return details_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IncidentViewDetailsType0 | None | Unset, data)

        details = _parse_details(d.pop("details", UNSET))

        incident_view = cls(
            id=id,
            monitor_id=monitor_id,
            status=status,
            cause=cause,
            regions=regions,
            first_result=first_result,
            opened_at=opened_at,
            acknowledged_at=acknowledged_at,
            acknowledged_by=acknowledged_by,
            resolved_at=resolved_at,
            resolved_by=resolved_by,
            duration_s=duration_s,
            kind=kind,
            metric=metric,
            details=details,
        )

        incident_view.additional_properties = d
        return incident_view

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
