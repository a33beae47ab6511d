"""The monitor definition: one schema used by the API to decode requests, by the
events that carry it, and by the OpenAPI document.

Struct constraints catch types and ranges; `validate` adds the rules that span
fields or need parsing (URLs, host:port, timeout < interval).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal
from urllib.parse import urlsplit

import msgspec
from msgspec import Meta, Struct

Kind = Literal["http", "tcp", "dns", "tls", "ping", "heartbeat"]
# Kinds this version's executor can check; the rest are refused with 422, never stored unchecked.
SUPPORTED_KINDS: frozenset[str] = frozenset({"http", "tcp"})

Region = Annotated[str, Meta(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$")]
Tag = Annotated[str, Meta(min_length=1, max_length=64)]
HttpMethod = Literal["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
StatusRange = Annotated[str, Meta(pattern=r"^[1-5][0-9]{2}(-[1-5][0-9]{2})?$")]


class HttpSpec(Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    method: HttpMethod = "GET"
    headers: dict[str, str] = {}
    body: str | None = None
    accepted_status: Annotated[list[StatusRange], Meta(min_length=1)] = msgspec.field(
        default_factory=lambda: ["200-299"]
    )
    follow_redirects: bool = True
    max_redirects: Annotated[int, Meta(ge=0, le=30)] = 10
    keyword: Annotated[str, Meta(min_length=1)] | None = None
    keyword_absent: bool = False
    regex: Annotated[str, Meta(min_length=1)] | None = None
    degraded_after_ms: Annotated[int, Meta(ge=1)] | None = None
    verify_tls: bool = True
    max_body_bytes: Annotated[int, Meta(ge=0, le=16 * 1024 * 1024)] = 1024 * 1024


class TcpSpec(Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    send: str | None = None
    expect: str | None = None


class MonitorFields(Struct, kw_only=True, forbid_unknown_fields=True):
    """What a user writes: the body of POST /api/v1/monitors."""

    name: Annotated[str, Meta(min_length=1, max_length=200)]
    kind: Kind
    target: Annotated[str, Meta(max_length=2048)] = ""
    interval_s: Annotated[int, Meta(ge=1, le=86_400)] = 60
    # None means min(10 s, 80% of the interval): a default that always validates.
    timeout_s: Annotated[float, Meta(gt=0, le=300)] | None = None
    regions: Annotated[list[Region], Meta(min_length=1, max_length=32)] = msgspec.field(
        default_factory=lambda: ["default"]
    )
    failure_threshold: Annotated[int, Meta(ge=1, le=100)] = 3
    success_threshold: Annotated[int, Meta(ge=1, le=100)] = 1
    retry_interval_s: Annotated[int, Meta(ge=1, le=86_400)] | None = None
    http: HttpSpec | None = None
    tcp: TcpSpec | None = None
    channel_ids: list[str] = []
    tags: Annotated[list[Tag], Meta(max_length=32)] = []
    paused: bool = False


class MonitorPatch(Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """PATCH body: every field optional; absent fields keep their stored value."""

    name: Annotated[str, Meta(min_length=1, max_length=200)] | msgspec.UnsetType = msgspec.UNSET
    target: Annotated[str, Meta(max_length=2048)] | msgspec.UnsetType = msgspec.UNSET
    interval_s: Annotated[int, Meta(ge=1, le=86_400)] | msgspec.UnsetType = msgspec.UNSET
    timeout_s: Annotated[float, Meta(gt=0, le=300)] | msgspec.UnsetType | None = msgspec.UNSET
    regions: Annotated[list[Region], Meta(min_length=1, max_length=32)] | msgspec.UnsetType = (
        msgspec.UNSET
    )
    failure_threshold: Annotated[int, Meta(ge=1, le=100)] | msgspec.UnsetType = msgspec.UNSET
    success_threshold: Annotated[int, Meta(ge=1, le=100)] | msgspec.UnsetType = msgspec.UNSET
    retry_interval_s: Annotated[int, Meta(ge=1, le=86_400)] | msgspec.UnsetType | None = (
        msgspec.UNSET
    )
    http: HttpSpec | msgspec.UnsetType | None = msgspec.UNSET
    tcp: TcpSpec | msgspec.UnsetType | None = msgspec.UNSET
    channel_ids: list[str] | msgspec.UnsetType = msgspec.UNSET
    tags: Annotated[list[Tag], Meta(max_length=32)] | msgspec.UnsetType = msgspec.UNSET
    paused: bool | msgspec.UnsetType = msgspec.UNSET


class Monitor(MonitorFields, kw_only=True, forbid_unknown_fields=False):
    """A stored monitor. `version` grows with every change so consumers can drop stale events."""

    id: str
    timeout_s: float  # type: ignore[assignment]  # always resolved once stored
    version: int = 1
    created_at: datetime
    updated_at: datetime


class FieldError(Struct):
    field: str
    message: str


def effective_timeout(fields: MonitorFields) -> float:
    if fields.timeout_s is not None:
        return fields.timeout_s
    return round(min(10.0, fields.interval_s * 0.8), 3)


def validate(fields: MonitorFields) -> list[FieldError]:
    """Rules that span fields or need parsing; an empty list means valid."""
    errors: list[FieldError] = []
    if fields.kind not in SUPPORTED_KINDS:
        supported = ", ".join(sorted(SUPPORTED_KINDS))
        errors.append(
            FieldError("kind", f"{fields.kind!r} is not supported yet (supported: {supported})")
        )
    if fields.timeout_s is not None and fields.timeout_s >= fields.interval_s:
        errors.append(FieldError("timeout_s", "must be less than interval_s"))
    if fields.retry_interval_s is not None and fields.retry_interval_s > fields.interval_s:
        errors.append(FieldError("retry_interval_s", "must not exceed interval_s"))
    if len(set(fields.regions)) != len(fields.regions):
        errors.append(FieldError("regions", "must not repeat a region"))
    if fields.kind == "http":
        errors.extend(_validate_http(fields))
    elif fields.kind == "tcp":
        message = _host_port_error(fields.target)
        if message:
            errors.append(FieldError("target", message))
    return errors


def _validate_http(fields: MonitorFields) -> list[FieldError]:
    errors: list[FieldError] = []
    message = _url_error(fields.target)
    if message:
        errors.append(FieldError("target", message))
    spec = fields.http or HttpSpec()
    for name, value in spec.headers.items():
        if not _TOKEN.fullmatch(name):
            errors.append(FieldError(f"http.headers.{name}", "is not a valid header name"))
        elif any(c in value for c in "\r\n\0"):
            errors.append(FieldError(f"http.headers.{name}", "must not contain line breaks"))
    for i, item in enumerate(spec.accepted_status):
        low, _, high = item.partition("-")
        if high and int(high) < int(low):
            errors.append(FieldError(f"http.accepted_status[{i}]", "range is reversed"))
    if spec.regex is not None:
        try:
            re.compile(spec.regex)
        except re.error as exc:
            errors.append(FieldError("http.regex", f"invalid regular expression: {exc}"))
    return errors


_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def _url_error(url: str) -> str | None:
    if not url:
        return "is required for http monitors"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"invalid URL: {exc}"
    if parts.scheme not in ("http", "https"):
        return "must be an http:// or https:// URL"
    if not parts.hostname:
        return "URL has no host"
    if port == 0:
        return "port must be between 1 and 65535"
    return None


def _host_port_error(target: str) -> str | None:
    host, sep, port = target.rpartition(":")
    if not sep or not host:
        return "must be host:port"
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        return "port must be between 1 and 65535"
    if any(c.isspace() for c in host):
        return "host must not contain spaces"
    return None


def host_port(target: str) -> tuple[str, int]:
    host, _, port = target.rpartition(":")
    return host.strip("[]"), int(port)
