"""The monitor definition: one schema used by the API to decode requests, by the
events that carry it, and by the OpenAPI document.

Struct constraints catch types and ranges; `validate` adds the rules that span
fields or need parsing (URLs, host:port, timeout < interval).
"""

from __future__ import annotations

import ipaddress
import re
from datetime import UTC, datetime
from typing import Annotated, Literal
from urllib.parse import urlsplit

import msgspec
from msgspec import Meta, Struct

from shared import bounds, crontab, jsonpath, patterns
from shared.anomaly import AnomalySpec
from shared.bounds import (
    MAX_HEADERS,
    HeaderName,
    HeaderValue,
    Name,
    RefId,
    Tag,
    Target,
    Token,
    plain,
)

Kind = Literal["http", "tcp", "dns", "tls", "ping", "heartbeat"]
# Kinds this version's executor can check; the rest are refused with 422, never stored unchecked.
SUPPORTED_KINDS: frozenset[str] = frozenset({"http", "tcp", "dns", "tls", "ping", "heartbeat"})
JsonOp = Literal["==", "!=", "<", "<=", ">", ">=", "contains", "exists"]
RecordType = Literal["A", "AAAA", "CNAME", "MX", "TXT", "NS"]

# Patterns end in (?![\s\S]), not $, which would let a final line break in (shared.bounds).
Region = Annotated[str, Meta(pattern=r"^[a-z0-9][a-z0-9-]{0,31}(?![\s\S])")]
HttpMethod = Literal["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
StatusRange = Annotated[str, Meta(pattern=r"^[1-5][0-9]{2}(-[1-5][0-9]{2})?(?![\s\S])")]
# Compared values, keywords and expected answers: long enough for any real check, short
# enough that a list page of monitors stays small.
Expected = Annotated[str, Meta(max_length=1024)]
Headers = Annotated[dict[HeaderName, HeaderValue], Meta(max_length=MAX_HEADERS)]
ChannelIds = Annotated[list[RefId], Meta(max_length=32)]
Tags = Annotated[list[Tag], Meta(max_length=32)]
MAX_BODY = 64 * 1024
MAX_TCP_BYTES = 4096


class JsonAssertion(Struct, kw_only=True, forbid_unknown_fields=True):
    path: Annotated[str, Meta(min_length=1, max_length=512)]
    op: JsonOp = "=="
    # Compared with the value at `path`; ignored by `exists`.
    value: Expected | int | float | bool | None = None


class BasicAuth(Struct, tag="basic", tag_field="type", forbid_unknown_fields=True):
    username: Annotated[str, plain(256)]
    password: Annotated[str, plain(1024)]


class BearerAuth(Struct, tag="bearer", tag_field="type", forbid_unknown_fields=True):
    token: Token


class HttpSpec(Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    method: HttpMethod = "GET"
    headers: Headers = {}
    body: Annotated[str, Meta(max_length=MAX_BODY)] | None = None
    accepted_status: Annotated[list[StatusRange], Meta(min_length=1)] = msgspec.field(
        default_factory=lambda: ["200-299"]
    )
    follow_redirects: bool = True
    max_redirects: Annotated[int, Meta(ge=0, le=30)] = 10
    keyword: Annotated[str, Meta(min_length=1, max_length=1024)] | None = None
    keyword_absent: bool = False
    regex: Annotated[str, Meta(min_length=1, max_length=patterns.MAX_LENGTH)] | None = None
    degraded_after_ms: Annotated[int, Meta(ge=1)] | None = None
    json_assertions: Annotated[list[JsonAssertion], Meta(max_length=32)] = []
    verify_tls: bool = True
    auth: BasicAuth | BearerAuth | None = None
    max_body_bytes: Annotated[int, Meta(ge=0, le=16 * 1024 * 1024)] = 1024 * 1024


class DnsSpec(Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    record_type: RecordType = "A"
    # Values that must all be in the answer (any order); empty: any answer will do.
    expected: Annotated[list[Annotated[str, plain(1024)]], Meta(max_length=64)] = []
    # host or host:port of the resolver to ask; None: the system's.
    resolver: Annotated[str, plain(255, 1)] | None = None


class TlsSpec(Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    # Degraded when the certificate expires within this many days.
    warn_days: Annotated[int, Meta(ge=0, le=3650)] = 14


class PingSpec(Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    count: Annotated[int, Meta(ge=1, le=20)] = 3
    # Down when more than this share of the echoes is lost.
    max_loss_pct: Annotated[float, Meta(ge=0, le=100)] = 0.0
    degraded_rtt_ms: Annotated[float, Meta(gt=0)] | None = None


MAX_RUNTIME_S = 7 * 86_400
# A job's stable name in /push/{ping_key}/{slug}: lower-case, URL-safe as it is.
Slug = Annotated[str, Meta(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}(?![\s\S])")]


class HeartbeatSpec(Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    # The job pings at least every period_s, or on a five-field `cron` read on the wall
    # clock of `timezone`; down once grace_s passes after the expected time without one.
    period_s: Annotated[int, Meta(ge=1, le=31 * 86_400)] = 300
    cron: Annotated[str, plain(crontab.MAX_CRON, 1)] | None = None
    timezone: Annotated[str, plain(crontab.MAX_ZONE, 1)] = "UTC"
    # After a start signal grace counts from the start: it is the longest a run may take.
    grace_s: Annotated[int, Meta(ge=0, le=86_400)] = 60
    # A run (start to end) longer or shorter than these is a failure.
    max_runtime_s: Annotated[int, Meta(ge=1, le=MAX_RUNTIME_S)] | None = None
    min_runtime_s: Annotated[int, Meta(ge=0, le=MAX_RUNTIME_S)] | None = None
    # Lets a fleet ping by name with one ping key; unique among live heartbeat monitors.
    slug: Slug | None = None


class Escalation(Struct, kw_only=True, forbid_unknown_fields=True):
    # Notify these channels too when an incident stays unacknowledged this long.
    after_s: Annotated[int, Meta(ge=1, le=7 * 86_400)]
    channel_ids: Annotated[list[RefId], Meta(min_length=1, max_length=32)]


class TcpSpec(Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    # Sent and expected as they are (a protocol may need CR/LF), only bounded.
    send: Annotated[str, Meta(max_length=MAX_TCP_BYTES)] | None = None
    expect: Annotated[str, Meta(max_length=MAX_TCP_BYTES)] | None = None


class MonitorFields(Struct, kw_only=True, forbid_unknown_fields=True):
    """What a user writes: the body of POST /api/v1/monitors."""

    name: Name
    kind: Kind
    target: Target = ""
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
    dns: DnsSpec | None = None
    tls: TlsSpec | None = None
    ping: PingSpec | None = None
    heartbeat: HeartbeatSpec | None = None
    channel_ids: ChannelIds = []
    # Regions that must be down for the monitor to be down; None: a majority.
    quorum: Annotated[int, Meta(ge=1, le=32)] | None = None
    # Repeat the down notification this often while the incident lasts; None: never.
    reminder_every_s: Annotated[int, Meta(ge=60, le=7 * 86_400)] | None = None
    escalation: Escalation | None = None
    # Alerts when the monitor gets slower or flakier than its own past; None: defaults.
    anomaly: AnomalySpec | None = None
    tags: Tags = []
    paused: bool = False


class MonitorPatch(Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """PATCH body: every field optional; absent fields keep their stored value."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    target: Target | msgspec.UnsetType = msgspec.UNSET
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
    dns: DnsSpec | msgspec.UnsetType | None = msgspec.UNSET
    tls: TlsSpec | msgspec.UnsetType | None = msgspec.UNSET
    ping: PingSpec | msgspec.UnsetType | None = msgspec.UNSET
    heartbeat: HeartbeatSpec | msgspec.UnsetType | None = msgspec.UNSET
    channel_ids: ChannelIds | msgspec.UnsetType = msgspec.UNSET
    quorum: Annotated[int, Meta(ge=1, le=32)] | msgspec.UnsetType | None = msgspec.UNSET
    reminder_every_s: Annotated[int, Meta(ge=60, le=7 * 86_400)] | msgspec.UnsetType | None = (
        msgspec.UNSET
    )
    escalation: Escalation | msgspec.UnsetType | None = msgspec.UNSET
    anomaly: AnomalySpec | msgspec.UnsetType | None = msgspec.UNSET
    tags: Tags | msgspec.UnsetType = msgspec.UNSET
    paused: bool | msgspec.UnsetType = msgspec.UNSET


class Monitor(MonitorFields, kw_only=True, forbid_unknown_fields=False):
    """A stored monitor. `version` grows with every change so consumers can drop stale events."""

    id: str
    timeout_s: float  # type: ignore[assignment]  # always resolved once stored
    version: int = 1
    # Heartbeat monitors: the secret part of their push URL.
    push_token: str | None = None
    # A target that carries a credential (`https://u:pw@host/`, `?token=`) is kept here,
    # sealed, while `target` shows it masked; only the executor opens it.
    target_sealed: str | None = None
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
    """Rules that span fields or need parsing; an empty list means valid.

    Only the block that matches `kind` is read, so only it is checked."""
    errors: list[FieldError] = []
    if fields.kind not in SUPPORTED_KINDS:
        supported = ", ".join(sorted(SUPPORTED_KINDS))
        errors.append(FieldError("kind", f"{fields.kind!r} is not supported yet ({supported})"))
    if fields.timeout_s is not None and fields.timeout_s >= fields.interval_s:
        errors.append(FieldError("timeout_s", "must be less than interval_s"))
    if fields.retry_interval_s is not None and fields.retry_interval_s > fields.interval_s:
        errors.append(FieldError("retry_interval_s", "must not exceed interval_s"))
    if len(set(fields.regions)) != len(fields.regions):
        errors.append(FieldError("regions", "must not repeat a region"))
    if fields.quorum is not None and fields.quorum > len(fields.regions):
        errors.append(FieldError("quorum", "must not exceed the number of regions"))
    errors.extend(_KIND_RULES[fields.kind](fields))
    return errors


def _validate_http(fields: MonitorFields) -> list[FieldError]:
    errors = _errors("target", _url_error(fields.target))
    spec = fields.http or HttpSpec()
    for name, value in spec.headers.items():
        if not _TOKEN.fullmatch(name):
            errors.append(FieldError(f"http.headers.{name}", "is not a valid header name"))
        elif bounds.has_controls(value):
            errors.append(FieldError(f"http.headers.{name}", bounds.CONTROLS_MESSAGE))
    for i, item in enumerate(spec.accepted_status):
        low, _, high = item.partition("-")
        if high and int(high) < int(low):
            errors.append(FieldError(f"http.accepted_status[{i}]", "range is reversed"))
    if spec.regex is not None and (reason := patterns.problem(spec.regex)):
        errors.append(FieldError("http.regex", reason))
    if isinstance(spec.auth, BasicAuth) and ":" in spec.auth.username:
        # RFC 7617: the first colon ends the user-id, so the rest would become the password.
        errors.append(FieldError("http.auth.username", "must not contain ':'"))
    for i, assertion in enumerate(spec.json_assertions):
        errors.extend(_assertion_errors(f"http.json_assertions[{i}]", assertion))
    return errors


def _assertion_errors(where: str, a: JsonAssertion) -> list[FieldError]:
    try:
        jsonpath.parse(a.path)
    except jsonpath.PathError as exc:
        return [FieldError(f"{where}.path", f"invalid JSONPath: {exc}")]
    if a.op in ("<", "<=", ">", ">=") and (
        isinstance(a.value, bool) or not isinstance(a.value, int | float)
    ):
        return [FieldError(f"{where}.value", f"op {a.op} needs a number")]
    if a.op == "contains" and a.value is None:
        return [FieldError(f"{where}.value", "op contains needs a value")]
    return []


def _validate_tcp(fields: MonitorFields) -> list[FieldError]:
    return _errors("target", _host_port_error(fields.target, port_required=True))


def _validate_dns(fields: MonitorFields) -> list[FieldError]:
    errors = _errors("target", None if _is_hostname(fields.target) else "must be a host name")
    spec = fields.dns or DnsSpec()
    if spec.resolver is not None:
        errors.extend(_errors("dns.resolver", _host_port_error(spec.resolver, port_required=False)))
    if any(not v.strip() for v in spec.expected):
        errors.append(FieldError("dns.expected", "values must not be empty"))
    return errors


def _validate_tls(fields: MonitorFields) -> list[FieldError]:
    return _errors("target", _host_port_error(fields.target, port_required=False))


def _validate_ping(fields: MonitorFields) -> list[FieldError]:
    ok = _is_hostname(fields.target) or _is_ip(fields.target)
    return _errors("target", None if ok else "must be a host name or IP address")


def _validate_heartbeat(fields: MonitorFields) -> list[FieldError]:
    spec = fields.heartbeat or HeartbeatSpec()
    errors = _errors("heartbeat.timezone", crontab.zone_problem(spec.timezone))
    if spec.cron is not None:
        problem = crontab.cron_problem(spec.cron, spec.timezone, datetime.now(UTC))
        errors.extend(_errors("heartbeat.cron", problem))
        if spec.period_s != HeartbeatSpec().period_s:
            errors.append(FieldError("heartbeat.period_s", "give period_s or cron, not both"))
    low, high = spec.min_runtime_s, spec.max_runtime_s
    if low is not None and high is not None and low >= high:
        errors.append(FieldError("heartbeat.min_runtime_s", "must be less than max_runtime_s"))
    return errors


_KIND_RULES = {
    "http": _validate_http,
    "tcp": _validate_tcp,
    "dns": _validate_dns,
    "tls": _validate_tls,
    "ping": _validate_ping,
    "heartbeat": _validate_heartbeat,
}


def _errors(field: str, message: str | None) -> list[FieldError]:
    return [FieldError(field, message)] if message else []


_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_LABEL = re.compile(r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)")


def _is_hostname(name: str) -> bool:
    name = name[:-1] if name.endswith(".") else name
    return 0 < len(name) <= 253 and all(_LABEL.fullmatch(p) for p in name.split("."))


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        return False
    return True


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
    if not (_is_hostname(parts.hostname) or _is_ip(parts.hostname)):
        return "URL host is not a valid host name"
    if port == 0:
        return "port must be between 1 and 65535"
    return None


def _host_port_error(target: str, port_required: bool) -> str | None:
    host, sep, port = target.rpartition(":")
    if not sep or (host.count(":") and not host.startswith("[")):
        if port_required:
            return "must be host:port"
        host, port = target, ""
    elif not port.isdigit() or not 1 <= int(port) <= 65535:
        return "port must be between 1 and 65535"
    if not (_is_hostname(host) or _is_ip(host)):
        return "host must be a host name or IP address"
    return None


def host_port(target: str, default_port: int | None = None) -> tuple[str, int]:
    """Split a validated `host:port` (or bare host, when a default port is given)."""
    host, sep, port = target.rpartition(":")
    if (not sep or (host.count(":") and not host.startswith("["))) and default_port is not None:
        return target.strip("[]"), default_port
    return host.strip("[]"), int(port)
