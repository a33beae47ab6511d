"""The stop-aware sleep every service loop uses, and the one way a service supervises its
long-lived jobs."""

import asyncio

import pytest

from shared.aio import sleep_or_stop, supervise


async def test_it_sleeps_the_whole_time_when_not_stopped():
    loop = asyncio.get_running_loop()
    began = loop.time()
    assert await sleep_or_stop(asyncio.Event(), 0.05) is False
    assert loop.time() - began >= 0.05


async def test_it_returns_at_once_when_stopped_meanwhile():
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.call_later(0.01, stop.set)
    began = loop.time()
    assert await sleep_or_stop(stop, 30) is True
    assert loop.time() - began < 5


async def _until(stop: asyncio.Event, finished: list[str], name: str) -> None:
    await stop.wait()
    await asyncio.sleep(0.01)  # draining takes a moment; supervise must wait for it
    finished.append(name)


async def test_supervised_jobs_all_return_when_stopped():
    stop, finished = asyncio.Event(), []
    asyncio.get_running_loop().call_later(0.01, stop.set)
    await supervise(stop, _until(stop, finished, "a"), _until(stop, finished, "b"))
    assert sorted(finished) == ["a", "b"]


async def test_a_failed_job_stops_the_others_gracefully_then_its_error_is_raised():
    stop, finished = asyncio.Event(), []

    async def broken() -> None:
        raise RuntimeError("relay broke")

    with pytest.raises(RuntimeError, match="relay broke"):
        await asyncio.wait_for(supervise(stop, _until(stop, finished, "consumer"), broken()), 5)
    assert stop.is_set() and finished == ["consumer"]
