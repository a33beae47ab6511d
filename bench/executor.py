"""How close the executor comes to a bare aiohttp loop, and its memory under load.

Run: .venv/bin/python bench/executor.py [--quick]

On one machine, in one run, against the same local targets (aiohttp servers in
processes of their own, HTTP and HTTPS with a throwaway certificate):
  - the bare loop: plain GETs on fresh connections, bounded concurrency, no NATS;
  - the real executor: the `executor` service as a subprocess on its own nats-server,
    working off due checks published in bulk, timed by the results it publishes;
  - the executor's peak RSS with 1,000 checks in flight at once.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import tempfile
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from support import bare, pki, targets
from support.pipeline import Pipeline, Run

RATIO_GOAL = 0.7
RSS_GOAL_MB = 200
HOLD_MS = 1500
IN_FLIGHT = 1000

Rates = dict[str, tuple[float, float]]


@dataclass(frozen=True)
class Plan:
    http: int
    https: int
    held: int
    concurrency: int
    rounds: int
    farm_processes: int = 2
    profile: Path | None = None


def plan(args: argparse.Namespace) -> Plan:
    quick = Plan(3000, 1000, IN_FLIGHT, args.concurrency, 1, profile=args.profile)
    full = Plan(15000, 4000, 2 * IN_FLIGHT, args.concurrency, 2, profile=args.profile)
    chosen = quick if args.quick else full
    return replace(chosen, http=args.http or chosen.http, https=args.https or chosen.https)


async def bench(p: Plan, workdir: Path) -> None:
    _, cert, key = pki.make(workdir)
    farm = targets.start(p.farm_processes, cert, key)
    try:
        print(header(p), flush=True)
        async with Pipeline(workdir) as pipeline:
            rates = await compare(p, farm, pipeline)
            held = await memory(p, farm, pipeline)
        report(rates, held)
    finally:
        farm.stop()


def header(p: Plan) -> str:
    return (
        f"executor benchmark on {os.cpu_count()} CPUs, shared by the targets"
        f" ({p.farm_processes} processes), nats-server, this process and the executor\n"
        f"  per run: {p.http} HTTP and {p.https} HTTPS checks, concurrency {p.concurrency}"
        f" (bare loop and UPMON_EXECUTOR_CONCURRENCY); {p.rounds} round(s), best rate kept\n"
        "  every check opens a new connection; HTTPS with verify_tls false"
    )


async def compare(p: Plan, farm: targets.Farm, pipeline: Pipeline) -> Rates:
    best: Rates = {}
    for round_no in range(1, p.rounds + 1):
        for scheme, count in (("http", p.http), ("https", p.https)):
            urls = farm.urls(scheme, "/ok")
            loop = await bare.run(urls, count, p.concurrency)
            loop_rate = count / loop.seconds
            region = f"{scheme}-{round_no}"
            run = await pipeline.run(region, urls, count, p.concurrency, profile=p.profile)
            print(line(scheme, round_no, loop, run), flush=True)
            old = best.get(scheme, (0.0, 0.0))
            best[scheme] = (max(old[0], loop_rate), max(old[1], run.rate))
    return best


def line(scheme: str, round_no: int, loop: bare.Result, run: Run) -> str:
    loop_cpu = 1e6 * loop.cpu_seconds / sum(loop.ended.values())
    executor_cpu, nats_cpu = run.cpu_us()
    text = (
        f"  round {round_no} {scheme.upper():5}"
        f" bare {sum(loop.ended.values()) / loop.seconds:5.0f}/s {outcomes(loop.ended)}"
        f" {loop_cpu:4.0f} us CPU/check |"
        f" executor {run.rate:5.0f}/s {outcomes(run.ended)} {executor_cpu:4.0f} us CPU/check"
        f" (+ nats-server {nats_cpu:.0f} us)"
    )
    for error, n in run.errors.most_common(3):
        text += f"\n      {n} x {error}"
    return text


def outcomes(ended: Counter[str]) -> str:
    return "(" + ", ".join(f"{n} {what}" for what, n in sorted(ended.items())) + ")"


async def memory(p: Plan, farm: targets.Farm, pipeline: Pipeline) -> tuple[Run, int]:
    """Every check waits HOLD_MS for its answer, so IN_FLIGHT of them are open at once."""
    urls = farm.urls("https", f"/hold/{HOLD_MS}")
    peak = [0]
    watcher = asyncio.create_task(farm.watch_in_flight(peak))
    try:
        run = await pipeline.run("held", urls, p.held, IN_FLIGHT, idle_first=True)
    finally:
        watcher.cancel()
    return run, peak[0]


def report(rates: Rates, held: tuple[Run, int]) -> None:
    print(f"\n{'':7}{'bare loop':>12}{'executor':>12}{'executor/bare':>16}")
    for scheme, (loop_rate, executor_rate) in rates.items():
        ratio = executor_rate / loop_rate if loop_rate else 0.0
        verdict = "ok" if ratio >= RATIO_GOAL else "BELOW GOAL"
        print(
            f"{scheme.upper():7}{loop_rate:10.0f}/s{executor_rate:10.0f}/s{ratio:16.2f}"
            f"   goal >= {RATIO_GOAL}: {verdict}"
        )
    run, peak = held
    rss = run.peak_rss_mb or 0.0
    verdict = "ok" if rss < RSS_GOAL_MB else "ABOVE GOAL"
    print(
        f"\nexecutor peak RSS (VmHWM), {IN_FLIGHT} HTTPS checks in flight: {rss:.1f} MB"
        f"   goal < {RSS_GOAL_MB} MB: {verdict}\n"
        f"  {run.count} checks, each answer held {HOLD_MS} ms: up to {peak} requests open at"
        f" the targets at once; {outcomes(run.ended)}; {run.idle_rss_mb or 0:.1f} MB before"
        " the first check"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer checks, one round")
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--http", type=int, help="HTTP checks per run")
    parser.add_argument("--https", type=int, help="HTTPS checks per run")
    parser.add_argument(
        "--profile", type=Path, help="folder for py-spy samples of the executor (needs py-spy)"
    )
    args = parser.parse_args()
    # A thousand held checks are a thousand sockets in this process's children.
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    with tempfile.TemporaryDirectory(prefix="upmon-bench-") as workdir:
        _runner()(bench(plan(args), Path(workdir)))


def _runner():
    # The executor runs on uvloop; the bare loop must too, or the comparison is unfair.
    try:
        import uvloop

        return uvloop.run
    except ImportError:
        return asyncio.run


if __name__ == "__main__":
    main()
