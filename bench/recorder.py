"""How many check results per second the recorder inserts into ClickHouse.

Starts a real nats-server, Postgres and ClickHouse (embedded parts) in a
temporary folder, publishes RESULTS results to the RESULTS stream, then runs the
recorder service as its own process and times how long it takes to drain them.

    .venv/bin/python bench/recorder.py [--results 200000]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.support.results import publish_results, run_service_until_drained  # noqa: E402
from shared import bus, clickhouse, config, topology  # noqa: E402
from stack.parts import ClickHouseServer, NatsServer, free_port  # noqa: E402


async def run(args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="upmon-bench-"))
    nats, ch = NatsServer(work, free_port()), ClickHouseServer(work, free_port())
    nats.start()
    ch.start()
    try:
        settings = config.load({}, nats_url=nats.url, clickhouse_url=ch.url)
        await clickhouse.migrate(settings)
        nc = await bus.connect(settings.nats_url, "bench")
        js = bus.jetstream(nc)
        await topology.ensure(js, settings)
        ids = [str(uuid.uuid4()) for _ in range(args.monitors)]
        t0 = time.perf_counter()
        await publish_results(js, ids, args.results, flap_every=20)
        print(f"published {args.results:,} results in {time.perf_counter() - t0:.1f}s")
        env = {"UPMON_NATS_URL": settings.nats_url, "UPMON_CLICKHOUSE_URL": settings.clickhouse_url}
        took, steady = await run_service_until_drained(
            js, "recorder", "recorder", args.results, env
        )
        await nc.close()
        client = await clickhouse.connect(settings, database=settings.clickhouse_database)
        rows = await client.command("SELECT count() FROM check_results")
        await client.close()
        print(
            f"recorder stored {rows:,} rows in {took:.2f}s including process start,"
            f" {steady:.2f}s from its first fetch: {args.results / steady:,.0f} results/s"
        )
    finally:
        ch.stop()
        nats.stop()
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--monitors", type=int, default=1000)
    parser.add_argument("--results", type=int, default=200_000)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
