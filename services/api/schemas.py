"""Request and response bodies that are the API's own (monitor bodies come from
shared.monitors). Every struct here appears in /openapi.json."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta, Struct

from services.api.stores.keys import ApiKey, PingKey, Scope
from shared import channels
from shared.bounds import Name, RefId, Tag, plain
from shared.liveness import Replica
from shared.monitors import Kind as MonitorKind
from shared.monitors import Monitor
from shared.placement import Placement

MonitorStatus = Literal["up", "down", "degraded", "pending", "paused", "maintenance", "unknown"]
MONITOR_STATUSES: tuple[str, ...] = MonitorStatus.__args__
# From the registry of channel kinds: adding a kind's module adds it here.
ChannelKind = Literal[channels.KINDS]  # type: ignore[valid-type]
IncidentStatus = Literal["open", "acknowledged", "resolved"]
INCIDENT_STATUSES: tuple[str, ...] = IncidentStatus.__args__


class Health(Struct):
    status: str


class Readiness(Struct):
    status: Literal["ok", "unavailable"]
    checks: dict[str, str]


# -- api keys ---------------------------------------------------------------------------


class ApiKeyCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name
    scope: Scope


class ApiKeyCreated(ApiKey, kw_only=True):
    # The only time the key itself is ever returned.
    key: str


class ApiKeyList(Struct):
    items: list[ApiKey]
    next_cursor: str | None = None


# -- ping keys --------------------------------------------------------------------------


class PingKeyCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name


class PingKeyCreated(PingKey, kw_only=True):
    # The only time the key itself is ever returned.
    key: str


class PingKeyList(Struct):
    items: list[PingKey]
    next_cursor: str | None = None


# -- monitors ---------------------------------------------------------------------------


class MonitorView(Monitor, kw_only=True):
    status: MonitorStatus = "pending"
    last_checked_at: datetime | None = None
    # Heartbeat monitors: where the job reports (POST or GET, no credentials).
    push_url: str | None = None


class MonitorList(Struct):
    items: list[MonitorView]
    next_cursor: str | None = None


class PhasesView(Struct, kw_only=True):
    dns_ms: float | None = None
    connect_ms: float | None = None
    tls_ms: float | None = None
    ttfb_ms: float | None = None
    transfer_ms: float | None = None


class ResultItem(Struct, kw_only=True):
    check_id: str
    region: str
    scheduled_at: datetime
    checked_at: datetime
    status: str
    latency_ms: float | None
    http_status: int | None
    error_kind: str | None
    error: str | None
    phases: PhasesView
    cert_expires_at: datetime | None
    cert_issuer: str | None = None
    cert_subject: str | None = None
    # Kind-specific facts: DNS answers, ping loss and RTTs, the last heartbeat.
    details: dict[str, Any] = {}


class ResultList(Struct):
    items: list[ResultItem]
    next_cursor: str | None = None


class LatencyStats(Struct, kw_only=True):
    avg: float | None = None
    p50: float | None = None
    p95: float | None = None
    p99: float | None = None


class RegionStats(Struct, kw_only=True):
    uptime_pct: float | None
    checks: int
    failures: int
    latency_ms: LatencyStats


class Stats(Struct, kw_only=True):
    window: str
    uptime_pct: float | None
    checks: int
    failures: int
    latency_ms: LatencyStats
    phases_ms: PhasesView
    by_region: dict[str, RegionStats]
    # Job (heartbeat) monitors that reported runs in the window: counts and durations.
    runs: RunStats | None = None


# -- channels ---------------------------------------------------------------------------


ChannelEvent = Literal["down", "up", "reminder", "anomaly"]
DEFAULT_CHANNEL_EVENTS: list[ChannelEvent] = ["down", "up", "reminder"]


class ChannelCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name
    kind: ChannelKind
    config: dict[str, Any]
    # What the channel is told of: outages by default; `anomaly` opts in to anomalies.
    events: Annotated[list[ChannelEvent], Meta(min_length=1, max_length=4)] = msgspec.field(
        default_factory=lambda: list(DEFAULT_CHANNEL_EVENTS)
    )


class ChannelView(Struct, kw_only=True):
    id: str
    name: str
    kind: ChannelKind
    # Secrets inside are masked: they are write-only.
    config: dict[str, Any]
    created_at: datetime
    events: list[ChannelEvent] = msgspec.field(default_factory=lambda: list(DEFAULT_CHANNEL_EVENTS))


class ChannelList(Struct):
    items: list[ChannelView]
    next_cursor: str | None = None


class ChannelField(Struct, kw_only=True):
    """One input of a kind's form, named as its `config` names it."""

    name: str
    label: str
    input: Literal["text", "url", "password", "email", "number", "list"]
    required: bool = False


class ChannelKindView(Struct, kw_only=True):
    kind: ChannelKind
    fields: list[ChannelField]
    # Write-only fields of `config`: never shown again once stored.
    secrets: list[str]
    # The kind a new channel's form starts at.
    preselected: bool = False


class ChannelKindList(Struct):
    items: list[ChannelKindView]


class MonitorFormField(Struct, kw_only=True):
    """One input of a kind's form, named as its options block names it."""

    name: str
    label: str
    input: Literal["text", "textarea", "number", "checkbox", "select", "password", "list"]
    choices: list[str] = []
    placeholder: str = ""
    help: str = ""
    # What the field holds when the block leaves it out.
    default: Any = None


class MonitorTarget(Struct, kw_only=True):
    # url, host_port, address, name (asked about, not connected to) or none.
    form: Literal["url", "host_port", "address", "name", "none"]
    example: str
    default_port: int | None
    # The schemes a `url` target may have.
    schemes: list[str]


class MonitorKindView(Struct, kw_only=True):
    kind: MonitorKind
    title: str
    summary: str
    target: MonitorTarget
    # Checked by the executor; false for heartbeats, which the job calls.
    probed: bool
    fields: list[MonitorFormField]
    # Option names that are credentials: sealed at rest, masked when shown.
    secrets: list[str]
    error_kinds: list[str]
    # The kind a new monitor's form starts at.
    preselected: bool = False


class MonitorKindList(Struct):
    items: list[MonitorKindView]


# -- incidents --------------------------------------------------------------------------


class IncidentView(Struct, kw_only=True):
    id: str
    monitor_id: str
    status: IncidentStatus
    cause: str
    regions: list[str]
    first_result: dict[str, Any] | None
    opened_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    resolved_at: datetime | None
    resolved_by: str | None
    # Until resolution, or until now while the incident lasts.
    duration_s: float = 0.0
    # `down`: an outage; `anomaly`: slower or flakier than its own past (status stays up).
    kind: Literal["down", "anomaly"] = "down"
    metric: str | None = None
    details: dict[str, Any] | None = None


class DeliveryAttempt(Struct, kw_only=True):
    delivery_id: str
    channel_id: str
    event: str
    attempt: int
    outcome: Literal["delivered", "retry", "failed"]
    status_code: int | None
    error: str | None
    at: datetime


class DeliveryList(Struct):
    items: list[DeliveryAttempt]


class MaintenanceCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name
    monitor_ids: Annotated[list[RefId], Meta(max_length=1000)] = []
    tags: Annotated[list[Tag], Meta(max_length=32)] = []
    # One-off window...
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    # ...or a recurring one: a cron expression, a duration and a timezone.
    cron: Annotated[str, plain(120, 1)] | None = None
    duration_s: Annotated[int, Meta(ge=1, le=31 * 86_400)] | None = None
    # An IANA zone name, e.g. Europe/Berlin.
    timezone: Annotated[str, plain(64, 1)] = "UTC"


class MaintenanceView(MaintenanceCreate, kw_only=True, forbid_unknown_fields=False):
    id: str
    created_at: datetime
    active_now: bool = False
    # False for a stored window that cannot work (e.g. a cron that never fires): alerting
    # ignores it, and it can only be deleted.
    valid: bool = True
    problem: str | None = None


class MaintenanceList(Struct):
    items: list[MaintenanceView]


class IncidentList(Struct):
    items: list[IncidentView]
    next_cursor: str | None = None


# -- operations -------------------------------------------------------------------------


class ConsumerStats(Struct, kw_only=True):
    name: str
    # False for a reader's own short-lived consumer (a watcher, a replay): its name is
    # the server's, so what it reads says more than the name.
    durable: bool = True
    filter_subjects: list[str] = []
    pending: int
    ack_pending: int
    redelivered: int
    waiting: int
    delivered_seq: int
    ack_floor_seq: int
    last_active: datetime | None
    # Its leader and copies on a cluster; absent on a single server.
    placement: Placement | None = None


class StreamStats(Struct, kw_only=True):
    name: str
    subjects: list[str]
    messages: int
    bytes: int
    first_seq: int
    last_seq: int
    consumers: list[ConsumerStats]
    placement: Placement | None = None


class Queues(Struct):
    streams: list[StreamStats]


class ReplicaList(Struct):
    items: list[Replica]


class RunItem(Struct, kw_only=True):
    """One finished run of a job monitor, or a line it logged (outcome `log`)."""

    id: str
    outcome: str
    ended_at: datetime
    started_at: datetime | None = None
    duration_s: float | None = None
    exit_code: int | None = None
    rid: str | None = None
    reason: str | None = None
    output: str = ""
    late: bool = False


class RunList(Struct):
    items: list[RunItem]
    next_cursor: str | None = None


class RunStats(Struct, kw_only=True):
    """Runs of a job monitor in the window (log lines are not runs)."""

    runs: int
    successes: int
    # Missed runs are failures too.
    failures: int
    missed: int
    late: int
    success_rate_pct: float | None
    duration_s: DurationStats


class DurationStats(Struct, kw_only=True):
    p50: float | None = None
    p95: float | None = None
    max: float | None = None
