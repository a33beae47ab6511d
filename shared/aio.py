"""Small asyncio helpers every service loop needs, written once."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from typing import Any

from shared.logs import get

log = get("aio")


async def sleep_or_stop(stop: asyncio.Event, seconds: float) -> bool:
    """Sleep for `seconds` or until `stop` is set; True when stopped."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
    return stop.is_set()


async def supervise(stop: asyncio.Event, *jobs: Coroutine[Any, Any, None]) -> None:
    """Run a service's long-lived jobs together until every one has returned.

    Each job returns once `stop` is set. The first to fail sets it, so the others drain
    and finish as on a signal instead of being cancelled mid-message; its error is then
    raised, and the process exits for its supervisor to restart it whole, rather than
    running on without a part (a consumer, the outbox relay) nobody would notice gone."""
    failures: list[Exception] = []

    async def guarded(job: Coroutine[Any, Any, None]) -> None:
        try:
            await job
        except Exception as exc:
            log.error("job_failed", job=job.__qualname__, error=repr(exc))
            failures.append(exc)
            stop.set()

    async with asyncio.TaskGroup() as group:
        for job in jobs:
            group.create_task(guarded(job))
    if failures:
        raise failures[0]
