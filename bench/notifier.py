"""How many check results per second the notifier applies to Postgres.

Starts a real nats-server and Postgres (embedded parts) in a temporary folder,
stores MONITORS monitors, publishes RESULTS results for them to the RESULTS
stream, then runs the notifier service as its own process and times how long
its state consumer takes to drain the stream. Goal: >= 5,000 results/s.

    .venv/bin/python bench/notifier.py [--monitors 1000] [--results 50000]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import msgspec

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.support.results import publish_results, run_service_until_drained  # noqa: E402
from shared import bus, config, db, sealing, topology  # noqa: E402
from shared.monitors import Monitor  # noqa: E402
from stack.parts import NatsServer, PostgresServer, free_port  # noqa: E402


async def seed(dsn: str, count: int) -> list[str]:
    now = datetime.now(UTC)
    conn = await asyncpg.connect(dsn)
    ids = [str(uuid.uuid4()) for _ in range(count)]
    rows = []
    for mid in ids:
        m = Monitor(
            id=mid,
            name=f"bench {mid[:8]}",
            kind="http",
            target="http://127.0.0.1/",
            timeout_s=5,
            created_at=now,
            updated_at=now,
        )
        rows.append((uuid.UUID(mid), msgspec.json.encode(m).decode(), now))
    await conn.executemany(
        "INSERT INTO monitors (id, version, doc, created_at, updated_at)"
        " VALUES ($1, 1, $2::jsonb, $3, $3)",
        rows,
    )
    await conn.close()
    return ids


async def run(args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="upmon-bench-"))
    nats = NatsServer(work, free_port())
    pg = PostgresServer(work, free_port())
    nats.start()
    pg.start()
    try:
        settings = config.load(
            {}, secret_key=sealing.generate_key(), nats_url=nats.url, pg_dsn=pg.dsn("upmon")
        )
        await db.migrate(settings.pg_dsn)
        ids = await seed(settings.pg_dsn, args.monitors)
        nc = await bus.connect(settings.nats_url, "bench")
        js = bus.jetstream(nc)
        await topology.ensure(js, settings)
        t0 = time.perf_counter()
        await publish_results(js, ids, args.results, args.flap_every)
        print(f"published {args.results:,} results in {time.perf_counter() - t0:.1f}s")
        env = {"UPMON_NATS_URL": settings.nats_url, "UPMON_PG_DSN": settings.pg_dsn}
        took, steady = await run_service_until_drained(
            js, "notifier", "notifier-state", args.results, env
        )
        await nc.close()
        rate = args.results / took
        conn = await asyncpg.connect(settings.pg_dsn)
        incidents = await conn.fetchval("SELECT count(*) FROM incidents")
        await conn.close()
        print(
            f"notifier applied {args.results:,} results for {args.monitors:,} monitors"
            f" in {took:.2f}s including process start ({rate:,.0f} results/s),"
            f" {steady:.2f}s from its first fetch: {args.results / steady:,.0f} results/s"
            f" (goal 5,000: ratio {args.results / steady / 5000:.2f}); {incidents:,} incidents"
            f" (one monitor in {args.flap_every} flapping)"
        )
    finally:
        pg.stop()
        nats.stop()
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--monitors", type=int, default=1000)
    parser.add_argument("--results", type=int, default=50_000)
    parser.add_argument(
        "--flap-every",
        type=int,
        default=20,
        help="one monitor in N flaps (1: all of them, the worst case)",
    )
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
