"""JetStream topology: every stream, consumer and KV bucket, declared once here.

`ensure` provisions them idempotently and updates any whose managed settings
changed (nats-py's pull_subscribe would silently keep an old durable's config).
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
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
# Job runs share the RESULTS stream (same retention and replay) on their own subject,
# so the consumers of check results never see them.
RUNS = "jobs.run"
INCIDENT_EVENTS = "incidents.events"
NOTIFY = "notify.deliver"
DLQ = "dlq"

LIVENESS_BUCKET = "upmon_services"
LIVENESS_TTL_S = 30.0
LEASES_BUCKET = "upmon_scheduler_leases"
# A dead scheduler's partitions are free again after this long.
LEASE_TTL_S = 3.0
# One recorder samples operations history (shared/lease.py); a dead one's turn passes
# to another after this long: three samples at the default 10 s.
SAMPLER_BUCKET = "upmon_ops_sampler"
SAMPLER_TTL_S = 30.0


def due_subject(region: str, monitor_id: str) -> str:
    return f"{DUE}.{region}.{monitor_id}"


def result_subject(region: str, monitor_id: str) -> str:
    return f"{RESULTS}.{region}.{monitor_id}"


def run_subject(monitor_id: str) -> str:
    return f"{RUNS}.{monitor_id}"


def monitor_subject(kind: str, monitor_id: str) -> str:
    return f"{MONITOR_EVENTS}.{kind}.{monitor_id}"


def incident_subject(kind: str, monitor_id: str) -> str:
    return f"{INCIDENT_EVENTS}.{kind}.{monitor_id}"


def notify_subject(channel_kind: str, channel_id: str) -> str:
    return f"{NOTIFY}.{channel_kind}.{channel_id}"


def streams(settings: Settings) -> list[StreamConfig]:
    def stream(
        name: str, subject: str, retention: RetentionPolicy, *more: str, **kw
    ) -> StreamConfig:
        return StreamConfig(
            name=name,
            subjects=[f"{s}.>" for s in (subject, *more)],
            retention=retention,
            storage=StorageType.FILE,
            discard=DiscardPolicy.OLD,
            num_replicas=settings.nats_replicas,
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
            RUNS,
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

    def config(self, replicas: int = 1) -> ConsumerConfig:
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
            num_replicas=replicas,
        )


def executor_consumer(region: str) -> ConsumerSpec:
    # A short ack_wait: a killed executor's checks come back quickly; the runner
    # keeps long checks alive with in_progress().
    return ConsumerSpec("CHECKS", f"executor-{region}", f"{DUE}.{region}.>", ack_wait_s=10.0)


RECORDER = ConsumerSpec("RESULTS", "recorder", f"{RESULTS}.>", max_ack_pending=50_000)
RECORDER_RUNS = ConsumerSpec("RESULTS", "recorder-runs", f"{RUNS}.>")
NOTIFIER_STATE = ConsumerSpec("RESULTS", "notifier-state", f"{RESULTS}.>")
NOTIFIER_DISPATCH = ConsumerSpec("INCIDENTS", "notifier-dispatch", f"{INCIDENT_EVENTS}.>")
NOTIFIER_DELIVER = ConsumerSpec("NOTIFY", "notifier-deliver", f"{NOTIFY}.>", ack_wait_s=60.0)

CONSUMERS = [RECORDER, RECORDER_RUNS, NOTIFIER_STATE, NOTIFIER_DISPATCH, NOTIFIER_DELIVER]

KV_BUCKETS = [
    KeyValueConfig(bucket=LIVENESS_BUCKET, ttl=LIVENESS_TTL_S, storage=StorageType.FILE),
    KeyValueConfig(bucket="upmon_heartbeats", history=1, storage=StorageType.FILE),
    KeyValueConfig(bucket=LEASES_BUCKET, ttl=LEASE_TTL_S, history=1, storage=StorageType.FILE),
    KeyValueConfig(bucket=SAMPLER_BUCKET, ttl=SAMPLER_TTL_S, history=1, storage=StorageType.FILE),
]


def kv_buckets(settings: Settings) -> list[KeyValueConfig]:
    return [dataclasses.replace(kv, replicas=settings.nats_replicas) for kv in KV_BUCKETS]


_STREAM_FIELDS = (
    "subjects",
    "retention",
    "max_age",
    "duplicate_window",
    "storage",
    "discard",
    "num_replicas",
)
_CONSUMER_FIELDS = ("filter_subject", "ack_wait", "max_ack_pending", "max_deliver", "num_replicas")


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
    _log_update("stream_updated", info.config.num_replicas, cfg.num_replicas, stream=cfg.name)
    if (info.config.num_replicas or 1) != (cfg.num_replicas or 1):
        await _until_placed(js, cfg.name, cfg.num_replicas or 1)
    return "updated"


async def _until_placed(js: JetStreamContext, stream: str, replicas: int, within: float = 60.0):
    """Wait until a rescaled stream runs on its new number of peers: its consumers can
    only follow once it does (the server refuses more copies than the stream has)."""
    deadline = time.monotonic() + within
    while True:
        info = await js.stream_info(stream)
        peers = 1 + len(info.cluster.replicas or []) if info.cluster else 1
        if peers == replicas and info.cluster and info.cluster.leader:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"stream {stream} not on {replicas} peers after {within:g} s")
        await asyncio.sleep(0.2)


def _log_update(event: str, had: int | None, wants: int | None, **names: str) -> None:
    if (had or 1) != (wants or 1):
        # Scaling moves data between nodes: say so, it is what an operator watches for.
        log.info(event, replicas_from=had or 1, replicas_to=wants or 1, **names)
    else:
        log.info(event, **names)


async def ensure_consumer(js: JetStreamContext, spec: ConsumerSpec, replicas: int = 1) -> str:
    want = spec.config(replicas)
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
    _log_update(
        "consumer_updated",
        info.config.num_replicas,
        replicas,
        stream=spec.stream,
        consumer=spec.durable,
    )
    return "updated"


async def ensure(js: JetStreamContext, settings: Settings, region: str | None = None) -> None:
    """Every stream, durable and bucket at `settings.nats_replicas` copies; a deployment
    made with another count is scaled in place (JetStream moves the data)."""
    n = settings.nats_replicas
    # Side by side: rescaling a stream waits for its new peers, seconds each.
    await asyncio.gather(*(ensure_stream(js, cfg) for cfg in streams(settings)))
    specs = [*CONSUMERS, executor_consumer(region or settings.region)]
    # Durables of other regions' executors follow their stream's copies too.
    specs += await _other_durables(js, region or settings.region)
    await asyncio.gather(*(ensure_consumer(js, spec, n) for spec in specs))
    await asyncio.gather(*(ensure_bucket(js, kv) for kv in kv_buckets(settings)))


async def ensure_bucket(js: JetStreamContext, kv: KeyValueConfig) -> str:
    """Create a KV bucket, or update its TTL and history in place, keeping its keys
    (creating one that exists with other settings is refused by the server)."""
    try:
        info = await js.stream_info(f"KV_{kv.bucket}")
    except nats.js.errors.NotFoundError:
        await js.create_key_value(kv)
        return "created"
    have = info.config
    had = have.num_replicas or 1
    if (
        _same(have.max_age, kv.ttl)
        and have.max_msgs_per_subject == kv.history
        and had == (kv.replicas or 1)
    ):
        return "unchanged"
    have.max_age, have.max_msgs_per_subject = kv.ttl, kv.history
    have.num_replicas = kv.replicas
    await js.update_stream(have)
    _log_update("bucket_updated", had, kv.replicas, bucket=kv.bucket)
    return "updated"


async def _other_durables(js: JetStreamContext, region: str) -> list[ConsumerSpec]:
    """Executor durables of regions other than this one (made by their own executors)."""
    mine = executor_consumer(region).durable
    found = []
    for info in await js.consumers_info("CHECKS"):
        name = info.name or ""
        if name.startswith("executor-") and name != mine and info.config.durable_name:
            found.append(executor_consumer(name.removeprefix("executor-")))
    return found


def _same(have: object, want: object) -> bool:
    if isinstance(have, float) or isinstance(want, float):
        return abs(float(have or 0) - float(want or 0)) < 1e-3
    if isinstance(have, list) and isinstance(want, list):
        return sorted(have) == sorted(want)
    return have == want
