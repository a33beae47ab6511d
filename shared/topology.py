"""JetStream topology: every stream, consumer and KV bucket, declared once here.

`ensure` provisions them idempotently and updates any whose managed settings
changed (nats-py's pull_subscribe would silently keep an old durable's config).
"""

from __future__ import annotations

from dataclasses import dataclass

import nats.js.errors
from nats.js import JetStreamContext
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
    DiscardPolicy,
    KeyValueConfig,
    RetentionPolicy,
    StorageType,
    StreamConfig,
)

from shared.config import Settings
from shared.logs import get

log = get("topology")

DAY = 86_400.0

# Subjects. The region and monitor id are tokens so consumers can filter on them.
MONITOR_EVENTS = "monitors.events"
DUE = "checks.due"
RESULTS = "checks.result"
INCIDENT_EVENTS = "incidents.events"
NOTIFY = "notify.deliver"
DLQ = "dlq"

LIVENESS_BUCKET = "upmon_services"
LIVENESS_TTL_S = 30.0
LEASES_BUCKET = "upmon_scheduler_leases"
# A dead scheduler's partitions are free again after this long.
LEASE_TTL_S = 3.0


def due_subject(region: str, monitor_id: str) -> str:
    return f"{DUE}.{region}.{monitor_id}"


def result_subject(region: str, monitor_id: str) -> str:
    return f"{RESULTS}.{region}.{monitor_id}"


def monitor_subject(kind: str, monitor_id: str) -> str:
    return f"{MONITOR_EVENTS}.{kind}.{monitor_id}"


def incident_subject(kind: str, monitor_id: str) -> str:
    return f"{INCIDENT_EVENTS}.{kind}.{monitor_id}"


def notify_subject(channel_kind: str, channel_id: str) -> str:
    return f"{NOTIFY}.{channel_kind}.{channel_id}"


def streams(settings: Settings) -> list[StreamConfig]:
    def stream(name: str, subject: str, retention: RetentionPolicy, **kw) -> StreamConfig:
        return StreamConfig(
            name=name,
            subjects=[f"{subject}.>"],
            retention=retention,
            storage=StorageType.FILE,
            discard=DiscardPolicy.OLD,
            **kw,
        )

    limits, work = RetentionPolicy.LIMITS, RetentionPolicy.WORK_QUEUE
    return [
        stream("MONITORS", MONITOR_EVENTS, limits, max_age=365 * DAY, duplicate_window=120.0),
        stream(
            "CHECKS",
            DUE,
            work,
            max_age=DAY,
            duplicate_window=settings.due_duplicate_window_s,
        ),
        stream(
            "RESULTS",
            RESULTS,
            limits,
            max_age=settings.results_max_age_days * DAY,
            duplicate_window=120.0,
        ),
        stream("INCIDENTS", INCIDENT_EVENTS, limits, max_age=365 * DAY, duplicate_window=120.0),
        stream("NOTIFY", NOTIFY, work, max_age=7 * DAY, duplicate_window=120.0),
        stream("DLQ", DLQ, limits, max_age=30 * DAY, duplicate_window=120.0),
    ]


@dataclass(frozen=True)
class ConsumerSpec:
    stream: str
    durable: str
    filter_subject: str
    ack_wait_s: float = 30.0
    max_ack_pending: int = 10_000

    def config(self) -> ConsumerConfig:
        # max_deliver stays unlimited on the server: the runner counts attempts and
        # dead-letters itself, so a poison message is never silently dropped.
        return ConsumerConfig(
            durable_name=self.durable,
            filter_subject=self.filter_subject,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            ack_wait=self.ack_wait_s,
            max_deliver=-1,
            max_ack_pending=self.max_ack_pending,
            max_waiting=512,
        )


def executor_consumer(region: str) -> ConsumerSpec:
    # A short ack_wait: a killed executor's checks come back quickly; the runner
    # keeps long checks alive with in_progress().
    return ConsumerSpec("CHECKS", f"executor-{region}", f"{DUE}.{region}.>", ack_wait_s=10.0)


RECORDER = ConsumerSpec("RESULTS", "recorder", f"{RESULTS}.>", max_ack_pending=50_000)
NOTIFIER_STATE = ConsumerSpec("RESULTS", "notifier-state", f"{RESULTS}.>")
NOTIFIER_DISPATCH = ConsumerSpec("INCIDENTS", "notifier-dispatch", f"{INCIDENT_EVENTS}.>")
NOTIFIER_DELIVER = ConsumerSpec("NOTIFY", "notifier-deliver", f"{NOTIFY}.>", ack_wait_s=60.0)

CONSUMERS = [RECORDER, NOTIFIER_STATE, NOTIFIER_DISPATCH, NOTIFIER_DELIVER]

KV_BUCKETS = [
    KeyValueConfig(bucket=LIVENESS_BUCKET, ttl=LIVENESS_TTL_S, storage=StorageType.FILE),
    KeyValueConfig(bucket="upmon_heartbeats", history=1, storage=StorageType.FILE),
    KeyValueConfig(bucket=LEASES_BUCKET, ttl=LEASE_TTL_S, history=1, storage=StorageType.FILE),
]

_STREAM_FIELDS = ("subjects", "retention", "max_age", "duplicate_window", "storage", "discard")
_CONSUMER_FIELDS = ("filter_subject", "ack_wait", "max_ack_pending", "max_deliver")


async def ensure_stream(js: JetStreamContext, cfg: StreamConfig) -> str:
    """Create or update one stream; returns 'created', 'updated' or 'unchanged'."""
    try:
        info = await js.stream_info(cfg.name)
    except nats.js.errors.NotFoundError:
        await js.add_stream(cfg)
        return "created"
    if all(_same(getattr(info.config, f), getattr(cfg, f)) for f in _STREAM_FIELDS):
        return "unchanged"
    await js.update_stream(cfg)
    log.info("stream_updated", stream=cfg.name)
    return "updated"


async def ensure_consumer(js: JetStreamContext, spec: ConsumerSpec) -> str:
    want = spec.config()
    try:
        info = await js.consumer_info(spec.stream, spec.durable)
    except nats.js.errors.NotFoundError:
        await js.add_consumer(spec.stream, want)
        return "created"
    if all(_same(getattr(info.config, f), getattr(want, f)) for f in _CONSUMER_FIELDS):
        return "unchanged"
    # CONSUMER.CREATE on an existing durable updates its editable fields in place,
    # keeping its position in the stream.
    await js.add_consumer(spec.stream, want)
    log.info("consumer_updated", stream=spec.stream, consumer=spec.durable)
    return "updated"


async def ensure(js: JetStreamContext, settings: Settings, region: str | None = None) -> None:
    for cfg in streams(settings):
        await ensure_stream(js, cfg)
    for spec in CONSUMERS:
        await ensure_consumer(js, spec)
    await ensure_consumer(js, executor_consumer(region or settings.region))
    for kv in KV_BUCKETS:
        await ensure_bucket(js, kv)


async def ensure_bucket(js: JetStreamContext, kv: KeyValueConfig) -> str:
    """Create a KV bucket, or update its TTL and history in place, keeping its keys
    (creating one that exists with other settings is refused by the server)."""
    try:
        info = await js.stream_info(f"KV_{kv.bucket}")
    except nats.js.errors.NotFoundError:
        await js.create_key_value(kv)
        return "created"
    have = info.config
    if _same(have.max_age, kv.ttl) and have.max_msgs_per_subject == kv.history:
        return "unchanged"
    have.max_age, have.max_msgs_per_subject = kv.ttl, kv.history
    await js.update_stream(have)
    log.info("bucket_updated", bucket=kv.bucket)
    return "updated"


def _same(have: object, want: object) -> bool:
    if isinstance(have, float) or isinstance(want, float):
        return abs(float(have or 0) - float(want or 0)) < 1e-3
    if isinstance(have, list) and isinstance(want, list):
        return sorted(have) == sorted(want)
    return have == want
