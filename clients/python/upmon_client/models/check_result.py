from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.check_result_status import CheckResultStatus
from ..models.check_result_type import CheckResultType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.check_result_details import CheckResultDetails
    from ..models.phases import Phases


T = TypeVar("T", bound="CheckResult")


@_attrs_define
class CheckResult:
    """
    Attributes:
        type_ (CheckResultType):
        check_id (str):
        monitor_id (str):
        region (str):
        scheduled_at (str):
        checked_at (str):
        status (CheckResultStatus):
        latency_ms (float | None | Unset):
        http_status (int | None | Unset):
        error_kind (None | str | Unset):
        error (None | str | Unset):
        phases (Phases | Unset):
        cert_expires_at (None | str | Unset):
        cert_issuer (None | str | Unset):
        cert_subject (None | str | Unset):
        details (CheckResultDetails | Unset):
        executor (str | Unset):  Default: ''.
        id (str | Unset):
        v (int | Unset):  Default: 1.
        at (str | Unset):
    """

    type_: CheckResultType
    check_id: str
    monitor_id: str
    region: str
    scheduled_at: str
    checked_at: str
    status: CheckResultStatus
    latency_ms: float | None | Unset = UNSET
    http_status: int | None | Unset = UNSET
    error_kind: None | str | Unset = UNSET
    error: None | str | Unset = UNSET
    phases: Phases | Unset = UNSET
    cert_expires_at: None | str | Unset = UNSET
    cert_issuer: None | str | Unset = UNSET
    cert_subject: None | str | Unset = UNSET
    details: CheckResultDetails | Unset = UNSET
    executor: str | Unset = ""
    id: str | Unset = UNSET
    v: int | Unset = 1
    at: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        check_id = self.check_id

        monitor_id = self.monitor_id

        region = self.region

        scheduled_at = self.scheduled_at

        checked_at = self.checked_at

        status = self.status.value

        latency_ms: float | None | Unset
        if isinstance(self.latency_ms, Unset):
            latency_ms = UNSET
        else:
            latency_ms = self.latency_ms

        http_status: int | None | Unset
        if isinstance(self.http_status, Unset):
            http_status = UNSET
        else:
            http_status = self.http_status

        error_kind: None | str | Unset
        if isinstance(self.error_kind, Unset):
            error_kind = UNSET
        else:
            error_kind = self.error_kind

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        phases: dict[str, Any] | Unset = UNSET
        if not isinstance(self.phases, Unset):
            phases = self.phases.to_dict()

        cert_expires_at: None | str | Unset
        if isinstance(self.cert_expires_at, Unset):
            cert_expires_at = UNSET
        else:
            cert_expires_at = self.cert_expires_at

        cert_issuer: None | str | Unset
        if isinstance(self.cert_issuer, Unset):
            cert_issuer = UNSET
        else:
            cert_issuer = self.cert_issuer

        cert_subject: None | str | Unset
        if isinstance(self.cert_subject, Unset):
            cert_subject = UNSET
        else:
            cert_subject = self.cert_subject

        details: dict[str, Any] | Unset = UNSET
        if not isinstance(self.details, Unset):
            details = self.details.to_dict()

        executor = self.executor

        id = self.id

        v = self.v

        at = self.at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "check_id": check_id,
                "monitor_id": monitor_id,
                "region": region,
                "scheduled_at": scheduled_at,
                "checked_at": checked_at,
                "status": status,
            }
        )
        if latency_ms is not UNSET:
            field_dict["latency_ms"] = latency_ms
        if http_status is not UNSET:
            field_dict["http_status"] = http_status
        if error_kind is not UNSET:
            field_dict["error_kind"] = error_kind
        if error is not UNSET:
            field_dict["error"] = error
        if phases is not UNSET:
            field_dict["phases"] = phases
        if cert_expires_at is not UNSET:
            field_dict["cert_expires_at"] = cert_expires_at
        if cert_issuer is not UNSET:
            field_dict["cert_issuer"] = cert_issuer
        if cert_subject is not UNSET:
            field_dict["cert_subject"] = cert_subject
        if details is not UNSET:
            field_dict["details"] = details
        if executor is not UNSET:
            field_dict["executor"] = executor
        if id is not UNSET:
            field_dict["id"] = id
        if v is not UNSET:
            field_dict["v"] = v
        if at is not UNSET:
            field_dict["at"] = at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.check_result_details import CheckResultDetails  # noqa: PLC0415
        from ..models.phases import Phases  # noqa: PLC0415

        d = dict(src_dict)
        type_ = CheckResultType(d.pop("type"))

        check_id = d.pop("check_id")

        monitor_id = d.pop("monitor_id")

        region = d.pop("region")

        scheduled_at = d.pop("scheduled_at")

        checked_at = d.pop("checked_at")

        status = CheckResultStatus(d.pop("status"))

        def _parse_latency_ms(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        latency_ms = _parse_latency_ms(d.pop("latency_ms", UNSET))

        def _parse_http_status(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        http_status = _parse_http_status(d.pop("http_status", UNSET))

        def _parse_error_kind(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error_kind = _parse_error_kind(d.pop("error_kind", UNSET))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        _phases = d.pop("phases", UNSET)
        phases: Phases | Unset
        if isinstance(_phases, Unset):
            phases = UNSET
        else:
            phases = Phases.from_dict(_phases)

        def _parse_cert_expires_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cert_expires_at = _parse_cert_expires_at(d.pop("cert_expires_at", UNSET))

        def _parse_cert_issuer(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cert_issuer = _parse_cert_issuer(d.pop("cert_issuer", UNSET))

        def _parse_cert_subject(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cert_subject = _parse_cert_subject(d.pop("cert_subject", UNSET))

        _details = d.pop("details", UNSET)
        details: CheckResultDetails | Unset
        if isinstance(_details, Unset):
            details = UNSET
        else:
            details = CheckResultDetails.from_dict(_details)

        executor = d.pop("executor", UNSET)

        id = d.pop("id", UNSET)

        v = d.pop("v", UNSET)

        at = d.pop("at", UNSET)

        check_result = cls(
            type_=type_,
            check_id=check_id,
            monitor_id=monitor_id,
            region=region,
            scheduled_at=scheduled_at,
            checked_at=checked_at,
            status=status,
            latency_ms=latency_ms,
            http_status=http_status,
            error_kind=error_kind,
            error=error,
            phases=phases,
            cert_expires_at=cert_expires_at,
            cert_issuer=cert_issuer,
            cert_subject=cert_subject,
            details=details,
            executor=executor,
            id=id,
            v=v,
            at=at,
        )

        check_result.additional_properties = d
        return check_result

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
