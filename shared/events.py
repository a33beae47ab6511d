"""Every event on the bus, as tagged-union msgspec Structs.

The tag (`type`) names the event; `v` is the schema version, bumped when a
field changes meaning. Encoders and decoders are built once here and reused.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Literal

import msgspec
from msgspec import Meta, Struct

from shared.monitors import Monitor

SCHEMA_VERSION = 1

CheckStatus = Literal["up", "down", "degraded", "missed"]
NonNegMs = Annotated[float, Meta(ge=0)]


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


class Event(Struct, tag_field="type", kw_only=True, omit_defaults=False):
    id: str = msgspec.field(default_factory=new_id)
    v: int = SCHEMA_VERSION
    at: datetime = msgspec.field(default_factory=utcnow)


# -- monitors.events.* (api -> scheduler) ------------------------------------------


class MonitorUpserted(Event, tag="monitor.upserted"):
    monitor: Monitor


class MonitorDeleted(Event, tag="monitor.deleted"):
    monitor_id: str
    version: int


MonitorEvent = MonitorUpserted | MonitorDeleted


# -- checks.due.<region>.<monitor_id> (scheduler -> executor) ----------------------


class CheckDue(Event, tag="check.due"):
    # `<monitor_id>:<slot>`: deterministic, so two schedulers publishing the same slot dedupe.
    check_id: str
    monitor_id: str
    region: str
    slot: Annotated[int, Meta(ge=0)]
    scheduled_at: datetime
    # Past this instant the check is stale: its next slot is due.
    deadline: datetime
    # A snapshot of the monitor, so the executor needs no database.
    monitor: Monitor


# -- checks.result.<region>.<monitor_id> (executor -> recorder, notifier) ----------


class Phases(Struct, kw_only=True, omit_defaults=True):
    dns_ms: NonNegMs | None = None
    connect_ms: NonNegMs | None = None
    tls_ms: NonNegMs | None = None
    ttfb_ms: NonNegMs | None = None
    transfer_ms: NonNegMs | None = None


class CheckResult(Event, tag="check.result"):
    check_id: str
    monitor_id: str
    region: str
    scheduled_at: datetime
    checked_at: datetime
    status: CheckStatus
    latency_ms: NonNegMs | None = None
    http_status: int | None = None
    error_kind: str | None = None
    error: str | None = None
    phases: Phases = msgspec.field(default_factory=Phases)
    cert_expires_at: datetime | None = None
    cert_issuer: str | None = None
    cert_subject: str | None = None
    # Kind-specific facts: DNS answers, ping loss and RTTs, the last heartbeat.
    details: dict[str, str | int | float | bool | list[str] | None] = {}
    executor: str = ""


# -- jobs.run.<monitor_id> (api -> recorder), on the RESULTS stream -----------------

RunOutcome = Literal["success", "failure", "missed", "log"]


class JobRun(Event, tag="job.run"):
    """A finished run of a job monitor (start to end), an expected one that never came
    (`missed`, ended_at its deadline), or a line the job logged (`log`)."""

    monitor_id: str
    outcome: RunOutcome
    ended_at: datetime
    started_at: datetime | None = None
    duration_s: Annotated[float, Meta(ge=0)] | None = None
    exit_code: Annotated[int, Meta(ge=0, le=255)] | None = None
    rid: str | None = None
    # Why a run failed (exit code, run time out of bounds) or the note the job sent.
    reason: str | None = None
    # The tail of what the job sent, sanitised (shared.heartbeats.output_excerpt).
    output: str = ""
    # It started (or, with no start, ended) after its expected time plus grace.
    late: bool = False


# -- incidents.events.<kind>.<monitor_id> (notifier state -> notifier dispatch) ----


class MonitorRef(Struct, kw_only=True):
    id: str
    name: str
    kind: str
    target: str


class ResultRef(Struct, kw_only=True):
    status: str
    error: str | None = None
    http_status: int | None = None
    latency_ms: float | None = None
    region: str


class IncidentRef(Struct, kw_only=True):
    id: str
    opened_at: datetime
    resolved_at: datetime | None = None
    # "auto" on recovery, else who resolved it by hand.
    resolved_by: str | None = None
    # Regions whose checks were failing when the incident opened.
    regions: list[str] = []


class IncidentOpened(Event, tag="incident.opened"):
    monitor: MonitorRef
    incident: IncidentRef
    result: ResultRef
    channel_ids: list[str] = []


class IncidentResolved(Event, tag="incident.resolved"):
    monitor: MonitorRef
    incident: IncidentRef
    result: ResultRef | None = None
    channel_ids: list[str] = []


class IncidentReminder(Event, tag="incident.reminder"):
    monitor: MonitorRef
    incident: IncidentRef
    result: ResultRef | None = None
    channel_ids: list[str] = []
    reminder: int = 1


class IncidentEscalated(Event, tag="incident.escalated"):
    """Unacknowledged for too long: the escalation channels hear of the outage too."""

    monitor: MonitorRef
    incident: IncidentRef
    result: ResultRef | None = None
    channel_ids: list[str] = []


class MonitorStateChanged(Event, tag="monitor.state_changed"):
    """The notifier's verdict changed; the scheduler checks failing monitors more often."""

    monitor_id: str
    status: str
    # Some region is failing but the monitor is not DOWN: retry_interval_s applies.
    failing: bool


class AnomalyRef(Struct, kw_only=True):
    """What an anomaly is about: a metric of one region against its own baseline."""

    region: str
    metric: str
    current: float
    baseline: float
    severity: str
    # A ratio for latency and durations, percentage points for rates.
    deviation: float
    seasonality: str = ""


class AnomalyDetected(Event, tag="anomaly.detected"):
    """A monitor is slower or flakier than its own past: an incident of kind `anomaly`."""

    monitor: MonitorRef
    incident: IncidentRef
    anomaly: AnomalyRef
    # Only the monitor's channels that opted in to anomaly events.
    channel_ids: list[str] = []
    result: ResultRef | None = None


class AnomalyCleared(Event, tag="anomaly.cleared"):
    monitor: MonitorRef
    incident: IncidentRef
    anomaly: AnomalyRef
    channel_ids: list[str] = []
    result: ResultRef | None = None


IncidentEvent = (
    IncidentOpened
    | IncidentResolved
    | IncidentReminder
    | IncidentEscalated
    | MonitorStateChanged
    | AnomalyDetected
    | AnomalyCleared
)
state_change_decoder = msgspec.json.Decoder(MonitorStateChanged)

# -- notify.deliver.<channel_kind> (dispatch -> delivery) --------------------------

NotifyKind = Literal[
    "monitor.down", "monitor.up", "monitor.reminder", "anomaly.detected", "anomaly.cleared", "test"
]


class Delivery(Event, tag="notify.delivery"):
    # Stable across retries: receivers dedupe on it (X-Upmon-Delivery).
    delivery_id: str
    channel_id: str
    event: NotifyKind
    source_event_id: str
    monitor: MonitorRef
    incident: IncidentRef | None = None
    result: ResultRef | None = None
    anomaly: AnomalyRef | None = None


AnyEvent = (
    MonitorUpserted
    | MonitorDeleted
    | CheckDue
    | CheckResult
    | JobRun
    | IncidentOpened
    | IncidentResolved
    | IncidentReminder
    | IncidentEscalated
    | MonitorStateChanged
    | AnomalyDetected
    | AnomalyCleared
    | Delivery
)

encoder = msgspec.json.Encoder()
monitor_decoder = msgspec.json.Decoder(MonitorEvent)
due_decoder = msgspec.json.Decoder(CheckDue)
result_decoder = msgspec.json.Decoder(CheckResult)
run_decoder = msgspec.json.Decoder(JobRun)
incident_decoder = msgspec.json.Decoder(IncidentEvent)
delivery_decoder = msgspec.json.Decoder(Delivery)
any_decoder = msgspec.json.Decoder(AnyEvent)


def encode(event: Event) -> bytes:
    return encoder.encode(event)
