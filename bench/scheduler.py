"""The scheduler with 100,000 monitors: load time, due publish rate, lateness, RSS.

Starts a real nats-server and Postgres (embedded parts), stores MONITORS monitors
with a 60 s interval, runs the scheduler service as its own process, and reads
its due checks back with a pull consumer. Lateness is the stream's receive time
of each due check minus its scheduled time. Goal: p99 lateness < 500 ms.

    .venv/bin/python bench/scheduler.py [--monitors 100000] [--seconds 65]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
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

from shared import bus, config, db, topology  # noqa: E402
from shared.events import due_decoder  # noqa: E402
from shared.monitors import Monitor  # noqa: E402
from stack.parts import NatsServer, PostgresServer, free_port  # noqa: E402

REGION = "bench"


async def seed(dsn: str, count: int) -> None:
    now = datetime.now(UTC)
    conn = await asyncpg.connect(dsn)
    rows = []
    for _ in range(count):
        m = Monitor(
            id=str(uuid.uuid4()),
            name="bench",
            kind="http",
            target="http://127.0.0.1/",
            interval_s=60,
            timeout_s=10,
            regions=[REGION],
            created_at=now,
            updated_at=now,
        )
        rows.append((uuid.UUID(m.id), msgspec.json.encode(m).decode(), now))
    await conn.copy_records_to_table(
        "monitors",
        records=[(i, 1, d, [], False, t, t, None) for i, d, t in rows],
        columns=[
            "id",
            "version",
            "doc",
            "tags",
            "paused",
            "created_at",
            "updated_at",
            "deleted_at",
        ],
    )
    await conn.close()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def run(args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="upmon-bench-"))
    nats, pg = NatsServer(work, free_port()), PostgresServer(work, free_port())
    nats.start()
    pg.start()
    try:
        settings = config.load({}, nats_url=nats.url, pg_dsn=pg.dsn("upmon"))
        await db.migrate(settings.pg_dsn)
        t0 = time.perf_counter()
        await seed(settings.pg_dsn, args.monitors)
        print(f"stored {args.monitors:,} monitors in {time.perf_counter() - t0:.1f}s")
        nc = await bus.connect(settings.nats_url, "bench")
        js = bus.jetstream(nc)
        await topology.ensure(js, settings)
        await topology.ensure_consumer(js, topology.executor_consumer(REGION))
        sub = await js.pull_subscribe_bind(f"executor-{REGION}", "CHECKS")
        env = {
            **os.environ,
            "UPMON_NATS_URL": settings.nats_url,
            "UPMON_PG_DSN": settings.pg_dsn,
            "UPMON_LOG_LEVEL": "warning",
        }
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "service", "scheduler"], cwd=ROOT, env=env
        )
        lateness, first = [], None
        deadline = started + args.seconds
        while time.perf_counter() < deadline:
            try:
                msgs = await sub.fetch(1000, timeout=1)
            except TimeoutError:
                continue
            first = first or time.perf_counter()
            for msg in msgs:
                due = due_decoder.decode(msg.data)
                late = (msg.metadata.timestamp - due.scheduled_at).total_seconds()
                lateness.append((due.scheduled_at.timestamp(), late))
            await asyncio.gather(*(m.ack() for m in msgs))
        peak = rss_mb(proc.pid)
        proc.terminate()
        proc.wait(30)
        await nc.close()
        report(args, lateness, first - started if first else float("nan"), peak, time.time())
    finally:
        pg.stop()
        nats.stop()
        shutil.rmtree(work, ignore_errors=True)


def report(args, lateness: list, load_s: float, peak_mb: float, ended: float) -> None:
    # At start every monitor's current slot is issued at once (a new or restarted
    # scheduler checks everything immediately): that catch-up is reported apart
    # from the steady state, the last interval of the run.
    steady = sorted(late for at, late in lateness if at > ended - 60 - 5 and at < ended - 5)
    warm = sorted(late for at, late in lateness if at <= ended - 65)

    def p(values: list[float], q: float) -> float:
        return values[min(len(values) - 1, int(q * len(values)))] * 1000 if values else float("nan")

    window = max(1.0, args.seconds - load_s)
    rate = len(lateness) / window
    print(f"first due published {load_s:.1f}s after the scheduler process started")
    print(f"due checks published: {len(lateness):,} in {window:.0f}s ({rate:,.0f}/s)")
    print(f"start-up catch-up: {len(warm):,} slots, p99 lateness {p(warm, 0.99):.0f} ms")
    print(
        f"steady state (last interval, {len(steady):,} slots): lateness p50 {p(steady, 0.5):.1f}"
        f" ms, p99 {p(steady, 0.99):.1f} ms, max {p(steady, 1.0):.1f} ms"
        f" (goal p99 < 500 ms: ratio {p(steady, 0.99) / 500:.2f})"
    )
    print(f"scheduler peak RSS {peak_mb:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--monitors", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=135)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
