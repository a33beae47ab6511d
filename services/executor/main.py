"""Executor: runs due checks for one region and publishes their results.

Stateless: the due message carries the monitor. The result is published (and
acknowledged by JetStream) before the due message is acked, so a killed
executor's checks are redelivered to another replica, never lost.
"""

from __future__ import annotations

import time

from services.executor.checks import Checker, Outcome
from shared import bus, metrics, runner, service, topology
from shared.events import CheckDue, CheckResult, due_decoder, utcnow
from shared.runner import Envelope, Unavailable


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
    )


def make_handler(checker: Checker, js, executor: str):
    async def handle(env: Envelope[CheckDue]) -> None:
        due = env.event
        started = time.perf_counter()
        outcome = await checker.run(due.monitor)
        metrics.CHECK_SECONDS.labels(due.monitor.kind).observe(time.perf_counter() - started)
        metrics.CHECKS.labels(due.monitor.kind, outcome.status).inc()
        result = to_result(due, outcome, executor)
        try:
            # One result per check and region, however often the check is redelivered.
            await bus.publish(
                js,
                topology.result_subject(due.region, due.monitor_id),
                result,
                msg_id=f"{due.check_id}:{due.region}",
            )
        except Exception as exc:
            raise Unavailable(f"publishing the result failed: {exc}") from exc

    return handle


async def main(ctx: service.Context) -> None:
    s = ctx.settings
    async with Checker() as checker:
        consumer = runner.Consumer(
            spec=topology.executor_consumer(s.region),
            decoder=due_decoder,
            handler=make_handler(checker, ctx.js, s.replica_id),
            batch=min(500, s.executor_concurrency),
            concurrency=s.executor_concurrency,
            max_deliver=s.max_deliver,
            backoff=runner.Backoff(s.backoff_base_s, s.backoff_max_s),
        )
        await runner.run(ctx.js, consumer, ctx.stop)


def run() -> None:
    service.run("executor", main)
