from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.phases_view import PhasesView
    from ..models.result_item_details import ResultItemDetails


T = TypeVar("T", bound="ResultItem")


@_attrs_define
class ResultItem:
    """
    Attributes:
        check_id (str):
        region (str):
        scheduled_at (str):
        checked_at (str):
        status (str):
        latency_ms (float | None):
        http_status (int | None):
        error_kind (None | str):
        error (None | str):
        phases (PhasesView):
        cert_expires_at (None | str):
        cert_issuer (None | str | Unset):
        cert_subject (None | str | Unset):
        details (ResultItemDetails | Unset):
    """

    check_id: str
    region: str
    scheduled_at: str
    checked_at: str
    status: str
    latency_ms: float | None
    http_status: int | None
    error_kind: None | str
    error: None | str
    phases: PhasesView
    cert_expires_at: None | str
    cert_issuer: None | str | Unset = UNSET
    cert_subject: None | str | Unset = UNSET
    details: ResultItemDetails | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        check_id = self.check_id

        region = self.region

        scheduled_at = self.scheduled_at

        checked_at = self.checked_at

        status = self.status

        latency_ms: float | None
        latency_ms = self.latency_ms

        http_status: int | None
        http_status = self.http_status

        error_kind: None | str
        error_kind = self.error_kind

        error: None | str
        error = self.error

        phases = self.phases.to_dict()

        cert_expires_at: None | str
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

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "check_id": check_id,
                "region": region,
                "scheduled_at": scheduled_at,
                "checked_at": checked_at,
                "status": status,
                "latency_ms": latency_ms,
                "http_status": http_status,
                "error_kind": error_kind,
                "error": error,
                "phases": phases,
                "cert_expires_at": cert_expires_at,
            }
        )
        if cert_issuer is not UNSET:
            field_dict["cert_issuer"] = cert_issuer
        if cert_subject is not UNSET:
            field_dict["cert_subject"] = cert_subject
        if details is not UNSET:
            field_dict["details"] = details

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.phases_view import PhasesView  # noqa: PLC0415
        from ..models.result_item_details import ResultItemDetails  # noqa: PLC0415

        d = dict(src_dict)
        check_id = d.pop("check_id")

        region = d.pop("region")

        scheduled_at = d.pop("scheduled_at")

        checked_at = d.pop("checked_at")

        status = d.pop("status")

        def _parse_latency_ms(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        latency_ms = _parse_latency_ms(d.pop("latency_ms"))

        def _parse_http_status(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        http_status = _parse_http_status(d.pop("http_status"))

        def _parse_error_kind(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error_kind = _parse_error_kind(d.pop("error_kind"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        phases = PhasesView.from_dict(d.pop("phases"))

        def _parse_cert_expires_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cert_expires_at = _parse_cert_expires_at(d.pop("cert_expires_at"))

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
        details: ResultItemDetails | Unset
        if isinstance(_details, Unset):
            details = UNSET
        else:
            details = ResultItemDetails.from_dict(_details)

        result_item = cls(
            check_id=check_id,
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
        )

        result_item.additional_properties = d
        return result_item

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
