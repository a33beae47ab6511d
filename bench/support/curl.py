"""The fastest TLS client stack from the package registries: libcurl with BoringSSL.

`curl_cffi` drives libcurl's multi interface from the event loop. Fresh connection
per request (no reuse, as every check does), certificate checks off as in the
other loops. It is the reference the executor's HTTPS cost is held against.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter

from .bare import Result


async def run(urls: list[str], count: int, concurrency: int) -> Result:
    from curl_cffi import CurlOpt
    from curl_cffi.requests import AsyncSession

    ended: Counter[str] = Counter()
    numbers = itertools.count()
    # FORBID_REUSE and FRESH_CONNECT: a new TCP connection and TLS handshake per request.
    options = {CurlOpt.FORBID_REUSE: 1, CurlOpt.FRESH_CONNECT: 1}
    async with AsyncSession(max_clients=concurrency, verify=False, curl_options=options) as s:

        async def worker() -> None:
            while (i := next(numbers)) < count:
                try:
                    response = await s.get(urls[i % len(urls)])
                    ended[str(response.status_code)] += 1
                except Exception as exc:  # the reference counts failures, it never stops
                    ended[type(exc).__name__] += 1

        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return Result(time.perf_counter() - started, time.process_time() - cpu, ended)


def available() -> bool:
    try:
        import curl_cffi  # noqa: F401
    except ImportError:
        return False
    return True
