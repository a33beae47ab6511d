"""How close the executor comes to reference client loops, and its memory under load.

Run: .venv/bin/python bench/executor.py [--quick]

On one machine, in one run, against the same local targets (aiohttp servers in
processes of their own, HTTP and HTTPS with a throwaway certificate):
  - reference loops, plain GETs on fresh connections, bounded concurrency, no NATS:
    the raw protocol (asyncio Protocol, no client library), the bare aiohttp loop,
    libcurl through curl_cffi (BoringSSL), and the executor's own check logic
    (Checker.run in this process: what a check costs without the bus);
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

from support import bare, checker, curl, pki, raw, targets
from support.pipeline import Pipeline, Run

RATIO_GOAL = 0.7
RSS_GOAL_MB = 200
HOLD_MS = 1500
IN_FLIGHT = 1000


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


# Reference loops per scheme, all in this process on the same event loop: the raw
# protocol floor, the bare aiohttp loop, libcurl (the fastest TLS stack on PyPI), and
# the executor's checks without NATS.
REFERENCES = {
    "http": ("raw", "bare", "curl", "checker"),
    "https": ("raw", "bare", "curl", "checker"),
}
# CPU per check goals of the executor, its nats-server share included (issue: ratios).
CPU_GOALS = {"http": ("raw", 2.0), "https": ("curl", 1.2)}
LOOPS = {"raw": raw.run, "bare": bare.run, "curl": curl.run, "checker": checker.run}


@dataclass
class Best:
    """Per scheme: the best rate and the lowest CPU per check seen over the rounds."""

    rate: dict[str, float]
    cpu_us: dict[str, float]

    def keep(self, name: str, rate: float, cpu_us: float) -> None:
        self.rate[name] = max(self.rate.get(name, 0.0), rate)
        self.cpu_us[name] = min(self.cpu_us.get(name, float("inf")), cpu_us)


async def compare(p: Plan, farm: targets.Farm, pipeline: Pipeline) -> dict[str, Best]:
    best = {scheme: Best({}, {}) for scheme in REFERENCES}
    for round_no in range(1, p.rounds + 1):
        for scheme, count in (("http", p.http), ("https", p.https)):
            urls = farm.urls(scheme, "/ok")
            for name in REFERENCES[scheme]:
                if name == "curl" and not curl.available():
                    continue
                loop = await LOOPS[name](urls, count, p.concurrency)
                checks = sum(loop.ended.values())
                best[scheme].keep(name, checks / loop.seconds, 1e6 * loop.cpu_seconds / checks)
                print(loop_line(scheme, round_no, name, loop), flush=True)
            region = f"{scheme}-{round_no}"
            run = await pipeline.run(region, urls, count, p.concurrency, profile=p.profile)
            executor_cpu, nats_cpu = run.cpu_us()
            best[scheme].keep("executor", run.rate, executor_cpu + nats_cpu)
            print(executor_line(scheme, round_no, run), flush=True)
    return best


def loop_line(scheme: str, round_no: int, name: str, loop: bare.Result) -> str:
    checks = sum(loop.ended.values())
    return (
        f"  round {round_no} {scheme.upper():5} {name:8} {checks / loop.seconds:6.0f}/s"
        f" {1e6 * loop.cpu_seconds / checks:5.0f} us CPU/check {outcomes(loop.ended)}"
    )


def executor_line(scheme: str, round_no: int, run: Run) -> str:
    executor_cpu, nats_cpu = run.cpu_us()
    text = (
        f"  round {round_no} {scheme.upper():5} executor {run.rate:6.0f}/s"
        f" {executor_cpu:5.0f} us CPU/check (+ nats-server {nats_cpu:.0f} us)"
        f" {outcomes(run.ended)}"
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


def report(best: dict[str, Best], held: tuple[Run, int]) -> None:
    for scheme, b in best.items():
        print(f"\n{scheme.upper()}: best of the rounds")
        for name in (*REFERENCES[scheme], "executor"):
            if name in b.rate:
                print(f"  {name:9}{b.rate[name]:8.0f}/s{b.cpu_us[name]:8.0f} us CPU/check")
        if "bare" in b.rate:
            ratio = b.rate["executor"] / b.rate["bare"]
            verdict = "ok" if ratio >= RATIO_GOAL else "BELOW GOAL"
            print(f"  rate executor/bare {ratio:.2f}   goal >= {RATIO_GOAL}: {verdict}")
        reference, goal = CPU_GOALS[scheme]
        if reference in b.cpu_us:
            ratio = b.cpu_us["executor"] / b.cpu_us[reference]
            verdict = "ok" if ratio <= goal else "ABOVE GOAL"
            print(
                f"  CPU/check executor (with nats-server)/{reference} {ratio:.2f}"
                f"   goal <= {goal}: {verdict}"
            )
        if reference in b.cpu_us and "checker" in b.cpu_us:
            print(breakdown(b, reference))
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


def breakdown(b: Best, reference: str) -> str:
    """Where the executor's CPU goes: the check itself, and the bus and runner around it."""
    check, total = b.cpu_us["checker"], b.cpu_us["executor"]
    return (
        f"  CPU/check checks alone (no NATS)/{reference} {check / b.cpu_us[reference]:.2f};"
        f" the rest, {max(0.0, total - check):.0f} us, is the executor's bus and runner work"
        " and nats-server"
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
