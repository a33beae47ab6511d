"""Scrape cost of GET /metrics/monitors at 10,000 monitors.

Run: .venv/bin/python bench/metrics_monitors.py [--monitors 10000] [--days 1] [--scrapes 100]

On embedded Postgres, ClickHouse and nats-server in a temporary folder:
  - N monitors in Postgres, each with a per-region state as the notifier keeps it;
  - `--days` of one-minute results for each in ClickHouse (rollups included), made
    by ClickHouse in one INSERT ... SELECT;
  - the api service as a child process, as production runs it;
  - GET /metrics/monitors with the scrape token, one scrape after another:
    p50 and p99 (goal: p99 < 200 ms), the size on the wire and the series count;
    first with UPMON_METRICS_MONITORS_MAX_AGE_S=0 (each scrape reads and renders:
    the cost of one snapshot refresh; the 24 h uptime is re-read every 5 minutes, so
    the first scrape's time includes it), then as served (snapshots of 10 s).
Everything shares the machine's CPUs: this process, the api, ClickHouse and Postgres.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

import aiohttp
import msgspec
from support import api_data
from support.api_load import Timing
from support.api_stack import Stack

from shared import clickhouse, db, logs

GOAL_MS = 200.0
TOKEN = "bench-scrape-token"
CHUNK = 1000

# The notifier's per-region state: every region of every monitor up.
_STATES = """
UPDATE monitor_state s SET regions = (
    SELECT jsonb_object_agg(r, jsonb_build_object('status', 'up'))
    FROM monitors m, jsonb_array_elements_text(m.doc->'regions') r WHERE m.id = s.monitor_id)
"""


async def seed(stack: Stack, args: argparse.Namespace) -> None:
    settings = stack.settings
    now = api_data.utcnow()
    pool = await db.connect_pool(settings.pg_dsn)
    ch = await clickhouse.connect(settings, database=settings.clickhouse_database)
    try:
        items = api_data.monitors(args.monitors, now)
        await api_data.store_monitors(pool, items, now)
        await pool.execute(_STATES)
        print("generating the results ...", flush=True)
        rows = seconds = 0
        # In chunks: the monitor ids travel as one query parameter, which has a size limit.
        for first in range(0, len(items), CHUNK):
            chunk = items[first : first + CHUNK]
            made, took = await api_data.generate_results(settings, chunk, args.days, now)
            rows, seconds = rows + made, seconds + took
        print(f"generated {rows:,} results in {seconds:.1f} s")
        for table, (count, parts, size) in (
            await api_data.table_figures(ch, settings.clickhouse_database)
        ).items():
            print(f"  {table:<22} {count:>12,} rows {parts:>4} parts {size / 2**20:>8.1f} MiB")
    finally:
        await ch.close()
        await pool.close()


async def scrapes(base: str, count: int, name: str) -> tuple[Timing, int, int]:
    # Prometheus asks for gzip; the size printed is what travels.
    headers = {"Authorization": f"Bearer {TOKEN}", "Accept-Encoding": "gzip"}
    samples: list[float] = []
    size = lines = 0
    async with aiohttp.ClientSession(headers=headers) as session:
        for n in range(count + 2):
            started = time.perf_counter()
            async with session.get(f"{base}/metrics/monitors") as resp:
                body = await resp.read()
                size = int(resp.headers.get("Content-Length") or len(body))
                if resp.status != 200:
                    raise RuntimeError(f"scrape: {resp.status} {body[:300]!r}")
            elapsed = (time.perf_counter() - started) * 1000
            if n == 0:
                print(f"  first scrape after start (nothing cached): {elapsed:,.0f} ms")
            if n >= 2:  # the first two warm the pools and the caches of the parts
                samples.append(elapsed)
            lines = sum(1 for line in body.splitlines() if line and not line.startswith(b"#"))
    return Timing(f"/metrics/monitors {name}", samples, GOAL_MS), size, lines


async def bench(args: argparse.Namespace, workdir: Path) -> None:
    print(
        f"/metrics/monitors on {os.cpu_count()} CPUs shared by this process, the api,"
        f" ClickHouse, Postgres and nats-server\n  {args.monitors:,} monitors,"
        f" {args.days:g} days of one-minute results, {args.scrapes} timed scrapes",
        flush=True,
    )
    async with Stack(workdir) as stack:
        pool = await db.connect_pool(stack.settings.pg_dsn)
        try:
            kept = await api_data.stored_ids(pool)
        finally:
            await pool.close()
        if kept:
            print(f"reusing the {len(kept):,} monitors and results kept in {workdir}")
        else:
            await seed(stack, args)
        plain = msgspec.structs.replace(stack.settings, metrics_scrape_token=TOKEN)
        # First every scrape reads and renders (what one snapshot refresh costs), then
        # scrapes as served: from the snapshot, remade in the background.
        for max_age, name in ((0, "refresh: read + render"), (10, "scrape, snapshot 10 s")):
            stack.settings = msgspec.structs.replace(plain, metrics_monitors_max_age_s=max_age)
            base = await stack.start_api(pool_max=4)
            try:
                timing, size, series = await scrapes(base, args.scrapes, name)
            finally:
                stack.stop_api()
            print(f"  one scrape: {size / 1024:,.0f} KiB, {series:,} series")
            print(timing.line())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--monitors", type=int, default=10_000, help="monitors (10000)")
    parser.add_argument("--days", type=float, default=1.0, help="days of results (1)")
    parser.add_argument("--scrapes", type=int, default=100, help="timed scrapes (100)")
    parser.add_argument(
        "--keep", type=Path, help="work in this folder and keep it; a kept folder is reused"
    )
    args = parser.parse_args()
    logs.configure("console", "warning")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        asyncio.run(bench(args, args.keep))
        return
    with tempfile.TemporaryDirectory(prefix="upmon-bench-metrics-") as tmp:
        asyncio.run(bench(args, Path(tmp)))


if __name__ == "__main__":
    main()
