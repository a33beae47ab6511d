"""The stop-aware sleep every service loop uses."""

import asyncio

from shared.aio import sleep_or_stop


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
