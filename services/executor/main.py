"""Executor: runs due checks for one region and publishes their results.

Stateless: the due message carries the monitor. The result is published (and
acknowledged by JetStream) before the due message is acked, so a killed
executor's checks are redelivered to another replica, never lost.
"""

from __future__ import annotations

import functools
import time
from datetime import datetime

import msgspec

from shared import bus, egress, heartbeats, metrics, runner, secret_fields, service, topology
from shared.events import CheckDue, CheckResult, due_decoder, encode, utcnow
from shared.kinds.heartbeat import HeartbeatSpec
from shared.monitors import Monitor
from shared.probes import Checker, Outcome, heartbeat
from shared.runner import Envelope, Unavailable
from shared.sealing import Keyring, SealError


def to_result(due: CheckDue, outcome: Outcome, executor: str) -> CheckResult:
    return CheckResult(
        check_id=due.check_id,
        monitor_id=due.monitor_id,
        region=due.region,
        scheduled_at=due.scheduled_at,
        checked_at=utcnow(),
        status=outcome.status,
        latency_ms=outcome.latency_ms,
        http_status=outcome.http_status,
        error_kind=outcome.error_kind,
        error=outcome.error,
        phases=outcome.phases,
        cert_expires_at=outcome.cert_expires_at,
        cert_issuer=outcome.cert_issuer,
        cert_subject=outcome.cert_subject,
        details=outcome.details,
        executor=executor,
        # Deterministic, like the message id: a redelivered check is the same event.
        id=f"{due.check_id}:{due.region}",
    )


def missed(due: CheckDue, now: datetime) -> Outcome | None:
    """A check whose next slot is already due is recorded, not run: a backlog must
    never turn into a burst of stale checks."""
    if now <= due.deadline:
        return None
    late = (now - due.scheduled_at).total_seconds()
    return Outcome(
        status="missed",
        error_kind="missed",
        error=f"not started before its deadline ({late:.1f} s after it was due)",
    )


def opened(monitor: Monitor, keyring: Keyring | None) -> Monitor | Outcome:
    """The monitor with its credentials in plaintext, for this check only: the due
    message carries them sealed. A key this executor lacks is the check's failure."""
    if not secret_fields.monitor_secrets(monitor):
        return monitor
    try:
        if keyring is None:
            raise SealError("this executor has no UPMON_SECRET_KEY to decrypt credentials with")
        plain = secret_fields.map_monitor(monitor, lambda _, value: keyring.open(value))
    except SealError as exc:
        return Outcome(status="down", error_kind="secret_key", error=str(exc))
    if plain.target_sealed:
        return msgspec.structs.replace(plain, target=plain.target_sealed, target_sealed=None)
    return plain


async def run_check(checker: Checker, js, due: CheckDue, keyring: Keyring | None) -> Outcome:
    if due.monitor.kind == "heartbeat":
        return await judge_heartbeat(js, due.monitor)
    monitor = opened(due.monitor, keyring)
    if isinstance(monitor, Outcome):
        return monitor
    return await checker.run(monitor)


async def judge_heartbeat(js, monitor: Monitor) -> Outcome:
    """The verdict on the last ping; a run that was expected and never came is also
    recorded as a missed run (before the result, so before the due message is acked)."""
    ping, now = await heartbeats.last(js, monitor.id), utcnow()
    spec = monitor.heartbeat or HeartbeatSpec()
    run = heartbeats.missed_run(spec, ping, monitor.created_at, now, monitor.interval_s)
    if run is not None:
        event = heartbeats.run_event(monitor.id, run)
        try:
            await bus.publish(js, topology.run_subject(monitor.id), event)
        except Exception as exc:
            raise Unavailable(f"publishing the missed run failed: {exc}") from exc
    return heartbeat.judge(monitor, ping, now)


@functools.cache
def _seconds(kind: str):
    return metrics.CHECK_SECONDS.labels(kind)


@functools.cache
def _counted(kind: str, status: str):
    return metrics.CHECKS.labels(kind, status)


def make_handler(checker: Checker, js, executor: str, keyring: Keyring | None):
    results = bus.Coalescing(js)

    async def handle(env: Envelope[CheckDue]) -> None:
        due = env.event
        started = time.perf_counter()
        outcome = missed(due, utcnow()) or await run_check(checker, js, due, keyring)
        _seconds(due.monitor.kind).observe(time.perf_counter() - started)
        _counted(due.monitor.kind, outcome.status).inc()
        result = to_result(due, outcome, executor)
        try:
            # One result per check and region, however often the check is redelivered.
            await results.publish(
                topology.result_subject(due.region, due.monitor_id),
                encode(result),
                {bus.MSG_ID: f"{due.check_id}:{due.region}"},
            )
        except Exception as exc:
            raise Unavailable(f"publishing the result failed: {exc}") from exc

    return handle


async def main(ctx: service.Context) -> None:
    s = ctx.settings
    # Capacity planning sizes executors per region.
    ctx.info["region"] = s.region
    # Without a key, monitors with credentials fail with error_kind `secret_key`;
    # the rest are checked as usual (a region's executor may hold no secrets).
    keyring = Keyring.from_settings(s) if s.secret_key else None
    if keyring is None:
        ctx.log.warning("no_secret_key", effect="monitors with credentials cannot be checked")
    async with Checker(policy=egress.from_settings(s)) as checker:
        consumer = runner.Consumer(
            spec=topology.executor_consumer(s.region),
            decoder=due_decoder,
            handler=make_handler(checker, ctx.js, s.replica_id, keyring),
            batch=min(500, s.executor_concurrency),
            concurrency=s.executor_concurrency,
            max_deliver=s.max_deliver,
            backoff=runner.Backoff(s.backoff_base_s, s.backoff_max_s),
        )
        await runner.run(ctx.js, consumer, ctx.stop)


def run() -> None:
    service.run("executor", main)
