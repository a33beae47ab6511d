"""The whole stack under load: N monitors against a local target farm, end to end.

Runs `upmon up` (every service as its own process on embedded NATS, Postgres and
ClickHouse, as a user runs it), creates MONITORS HTTP monitors through the API
(`monitors:import`) against target processes on this machine, lets the start-up
burst settle, then measures a window of SECONDS:

  - checks/s: result rows in ClickHouse scheduled inside the window, and the
    slowest 10 s of the window by check time;
  - nothing missed: every monitor has one row per slot of the window (no gaps,
    no `missed` rows), and no slot has two;
  - schedule lag: the scheduler's own lateness histogram (publish minus scheduled
    time) and, exactly, result time minus scheduled time for every check;
  - check to row: ClickHouse insert time minus result time for every check;
  - target down to webhook: groups of monitors whose target starts failing on cue,
    each alerting a webhook receiver here, and the same when they come back;
  - CPU seconds per check of each service and part (/proc, via psutil).

Goal: 1,000 checks/s sustained for 5 minutes, p99 schedule lag < 1 s, nothing missed.

    .venv/bin/python bench/e2e.py [--monitors 10000] [--interval 10] [--seconds 300]
    .venv/bin/python bench/e2e.py --quick        # 2,000 monitors for 60 s
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import clickhouse_connect
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.support import pki, raw, targets  # noqa: E402
from bench.support.receiver import Receiver  # noqa: E402
from bench.support.up_stack import UpStack  # noqa: E402
from stack.supervisor import SERVICES  # noqa: E402

RATE_GOAL = 1000.0
# Whole stack CPU per check against the raw-protocol reference loop.
STACK_CPU_GOAL = 5.0
LAG_GOAL_S = 1.0
IMPORT_BATCH = 1000  # the most `monitors:import` takes at once
PROGRESS_S = 10
OUTAGE_INTERVALS = 3
# Window bounds as query parameters: Unix milliseconds `a` (inclusive) to `b`.
A, B = "fromUnixTimestamp64Milli({a:Int64}, 'UTC')", "fromUnixTimestamp64Milli({b:Int64}, 'UTC')"
SCHEDULED_IN_WINDOW = f"scheduled_at >= {A} AND scheduled_at < {B}"


@dataclass(frozen=True)
class Plan:
    monitors: int
    interval: int
    seconds: int
    groups: int
    group_size: int
    https_share: float
    farm: int
    # Targets answer after 0..target_ms ms (spread over the monitors), as remote ones do,
    # so checks finish at scattered times instead of in the scheduler's bursts.
    target_ms: int = 0
    profile: Path | None = None
    # `upmon up --replicas` values, e.g. ("executor=2",).
    replicas: tuple[str, ...] = ()
    # On a cluster, `upmon leaders --balance` halfway through the window, from the
    # leaders "as-elected" or "from-one-node" (every leader drained onto nats-1 first).
    balance_leaders: str = ""

    @property
    def offered(self) -> float:
        return self.monitors / self.interval


@dataclass
class Flip:
    """A group of monitors whose target went down at `down_at` and came back at `up_at`."""

    name: str
    monitor_ids: list[str]
    down_at: float = 0.0
    up_at: float = 0.0


@dataclass
class Window:
    start: float
    end: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)
    lateness: dict[float, float] = field(default_factory=dict)
    # CPU per check of the raw-protocol reference loop on the same targets, this run.
    reference_us: float = 0.0
    checks: int = 0
    # Messages the NATS nodes received in the window: from clients, and from each other
    # (Raft replication and forwarding between nodes); empty for a single server.
    nats_msgs: dict[str, int] = field(default_factory=dict)
    # CPU seconds of each cluster node: on machines of their own, the busiest one is
    # what a node must be sized for.
    nats_nodes: dict[str, float] = field(default_factory=dict)
    # (time, each node's CPU seconds) at the window's start, before and after balancing
    # the leaders halfway (--balance-leaders), and at its end.
    node_marks: list[tuple[float, dict[str, float]]] = field(default_factory=list)

    def per_check_us(self) -> dict[str, float]:
        per = {k: 1e6 * v / max(1, self.checks) for k, v in self.cpu.items()}
        per["upmon total"] = sum(v for k, v in per.items() if k not in ("targets", "bench"))
        return per


async def main(plan: Plan, nats_nodes: int = 1) -> None:
    if nats_nodes == 1:
        problems, _ = await run(plan)
    else:
        # The same plan on one server (R1), then on a cluster (R3), in this invocation.
        problems, one = await run(plan)
        more, three = await run(plan, nats_nodes)
        problems += [f"R3: {p}" for p in more]
        print_replicas(one, three, nats_nodes)
    if problems:
        sys.exit(f"FAILED: {', '.join(problems)}")


NATS_R3_GOAL = 2.0
STACK_R3_GOAL = 1.3


def print_replicas(one: Window | None, three: Window | None, nodes: int) -> None:
    if one is None or three is None:
        return
    r1, r3 = one.per_check_us(), three.per_check_us()
    print()
    print(f"== CPU per check, 1 NATS server (R1) against {nodes} nodes (R3), same plan:")
    for name in sorted(r1, key=lambda k: -r1[k]):
        ratio = r3.get(name, 0.0) / r1[name] if r1[name] else 0.0
        goal = {"nats-server": NATS_R3_GOAL, "upmon total": STACK_R3_GOAL}.get(name)
        verdict = (
            "" if goal is None else f"   goal <= {goal}: {'ok' if ratio <= goal else 'ABOVE GOAL'}"
        )
        print(f"  {name:12} R1 {r1[name]:6.0f} us  R3 {r3.get(name, 0.0):6.0f} us"
              f"  ratio {ratio:4.2f}{verdict}")  # fmt: skip
    if three.nats_nodes and r1.get("nats-server"):
        busiest = 1e6 * max(three.nats_nodes.values()) / max(1, three.checks)
        ratio = busiest / r1["nats-server"]
        print(f"  busiest NATS node at R3 {busiest:.0f} us/check: {ratio:.2f}x the single server"
              f" (what each node needs on a machine of its own)")  # fmt: skip
    if len(three.node_marks) == 4:
        print_halves(three.node_marks)


def print_halves(marks: list[tuple[float, dict[str, float]]]) -> None:
    """Each node's share of a core before and after `upmon leaders --balance`, halfway."""
    for label, (t0, a), (t1, b) in (("before", *marks[:2]), ("balanced", *marks[2:])):
        share = {n: 100 * (b[n] - a[n]) / (t1 - t0) for n in sorted(a)}
        mean = sum(share.values()) / len(share)
        each = ", ".join(f"{n} {v:.1f}" for n, v in share.items())
        top = max(share.values()) / mean
        print(f"  NATS nodes {label:10} % of a core: {each}; busiest {top:.2f}x the mean")


async def run(plan: Plan, nats_nodes: int = 1) -> tuple[list[str], Window | None]:
    work = Path(tempfile.mkdtemp(prefix="upmon-e2e-"))
    problems = ["no report"]
    window = None
    _, cert, key = pki.make(work)
    farm = targets.start(plan.farm, cert, key)
    receiver = Receiver()
    await receiver.start()
    up = UpStack(work, nats_nodes=nats_nodes, replicas=plan.replicas)
    try:
        # Before the stack starts: measured beside a stack running flat out, the reference
        # loop's own CPU per check came out ~3x its quiet figure (shared caches and cores),
        # flattering the ratio.
        reference_us = await reference_cpu_us(farm, plan)
        took = await up.start()
        print(f"upmon up ({nats_nodes} NATS node(s)) ready in {took:.1f}s", flush=True)
        headers = {"Authorization": f"Bearer {up.admin_key()}"}
        async with aiohttp.ClientSession(up.api_url, headers=headers) as api:
            flips = await create_monitors(api, plan, farm, receiver.url)
            ch = await clickhouse_connect.get_async_client(
                host="127.0.0.1", port=up.ports["--clickhouse-port"], database="upmon"
            )
            await settle(ch, plan)
            if nats_nodes > 1 and plan.balance_leaders == "from-one-node":
                leaders(up, "--drain", "nats-2", "--drain", "nats-3", "--sample", "0")
            window = await measure(api, ch, up, farm, plan, flips)
            window.reference_us = reference_us
            await drain(ch, window, plan)
            problems = await report(ch, up, plan, window, flips, receiver)
            await ch.close()
    finally:
        up.stop()
        farm.stop()
        await receiver.stop()
        shutil.rmtree(work, ignore_errors=True)
    return problems, window


def leaders(up: UpStack, *args: str) -> None:
    """`upmon leaders` as an operator would run it beside the stack. A leader it could not
    move (a copy a few operations behind under load) is printed, not fatal."""
    done = up.upmon("leaders", *args)
    print(f"upmon leaders {' '.join(args)}:\n{done.stdout}{done.stderr}", flush=True)


async def create_monitors(
    api: aiohttp.ClientSession, plan: Plan, farm: targets.Farm, hook: str
) -> list[Flip]:
    channel = await post(api, "/api/v1/channels", {"name": "bench", "kind": "webhook",
                                                   "config": {"url": hook}})  # fmt: skip
    flips = [Flip(f"g{g}", []) for g in range(plan.groups)]
    docs = [monitor_doc(plan, farm, i, flips, channel["id"]) for i in range(plan.monitors)]
    t0 = time.perf_counter()
    for start in range(0, len(docs), IMPORT_BATCH):
        created = await post(api, "/api/v1/monitors:import", docs[start : start + IMPORT_BATCH])
        for item in created["items"]:
            if item["name"].startswith("flip-"):
                flips[int(item["name"].split("-")[1])].monitor_ids.append(item["id"])
    took = time.perf_counter() - t0
    print(f"created {plan.monitors:,} monitors through the API in {took:.1f}s", flush=True)
    return flips


def monitor_doc(plan: Plan, farm: targets.Farm, i: int, flips: list[Flip], channel: str) -> dict:
    https = i % 1000 < plan.https_share * 1000
    path = f"/hold/{i % (plan.target_ms + 1)}" if plan.target_ms else "/ok"
    urls = farm.urls("https" if https else "http", path)
    doc = {
        "name": f"e2e-{i}",
        "kind": "http",
        "target": urls[i % len(urls)],
        "interval_s": plan.interval,
        "timeout_s": min(5, plan.interval - 1),
        "http": {"verify_tls": False},
    }
    group, place = divmod(i, plan.group_size)
    if group < len(flips):
        # A target that fails on cue, alerting at the first failure.
        doc["name"] = f"flip-{group}-{place}"
        doc["target"] = farm.urls("http", f"/svc/{flips[group].name}")[i % len(urls)]
        doc.update(failure_threshold=1, channel_ids=[channel])
    return doc


async def post(api: aiohttp.ClientSession, path: str, body: object) -> dict:
    async with api.post(path, json=body) as response:
        if response.status >= 300:
            raise RuntimeError(f"{path}: {response.status} {await response.text()}")
        return await response.json()


async def scalar(ch, sql: str, **params: object):
    return (await ch.query(sql, parameters=params)).result_rows[0][0]


async def settle(ch, plan: Plan) -> None:
    """Until every monitor has a result, then two intervals more for the start-up burst."""
    t0 = time.perf_counter()
    while await scalar(ch, "SELECT uniqExact(monitor_id) FROM check_results") < plan.monitors:
        if time.perf_counter() - t0 > 3 * plan.interval + 120:
            raise RuntimeError("not every monitor was checked")
        await asyncio.sleep(1)
    print(f"every monitor checked {time.perf_counter() - t0:.1f}s after creation", flush=True)
    await asyncio.sleep(2 * plan.interval)


async def measure(api, ch, up: UpStack, farm: targets.Farm, plan: Plan, flips) -> Window:
    async with aiohttp.ClientSession() as plain:
        before = await lateness_buckets(plain, up)
        msgs_before = await nats_messages(plain, up)
        window = Window(time.time(), cpu=cpu_seconds(up, farm), nats_nodes=up.nats_node_cpu())
        flipper = asyncio.create_task(run_flips(plain, farm, plan, flips, window.start))
        spies = profile(up, plan) if plan.profile else []
        balance = bool(plan.balance_leaders and window.nats_nodes)
        if balance:
            window.node_marks.append((window.start, dict(window.nats_nodes)))
        while time.time() < window.start + plan.seconds:
            await asyncio.sleep(PROGRESS_S)
            await progress(api, ch, window.start)
            if (
                balance
                and len(window.node_marks) == 1
                and time.time() > window.start + plan.seconds / 2
            ):
                window.node_marks.append((time.time(), up.nats_node_cpu()))
                await asyncio.to_thread(leaders, up, "--balance", "--sample", "5")
                window.node_marks.append((time.time(), up.nats_node_cpu()))
        window.end = time.time()
        if balance:
            window.node_marks.append((window.end, up.nats_node_cpu()))
        after = cpu_seconds(up, farm)
        msgs_after = await nats_messages(plain, up)
        window.nats_msgs = {k: n - msgs_before[k] for k, n in msgs_after.items()}
        for spy in spies:
            spy.send_signal(signal.SIGINT)
            await asyncio.to_thread(spy.wait)
        window.cpu = {k: after.get(k, 0.0) - v for k, v in window.cpu.items()}
        nodes_after = up.nats_node_cpu()
        window.nats_nodes = {k: nodes_after.get(k, v) - v for k, v in window.nats_nodes.items()}
        window.lateness = {
            le: n - before.get(le, 0) for le, n in (await lateness_buckets(plain, up)).items()
        }
        await flipper
    return window


async def nats_messages(session: aiohttp.ClientSession, up: UpStack) -> Counter[str]:
    """Inbound messages of every cluster node so far, split by where they came from."""
    counts: Counter[str] = Counter()
    for url in up.nats_monitor_urls:
        # Routes first: a message arriving between the two reads counts as a client's,
        # so the clients' count never comes out short.
        async with session.get(f"{url}/routez") as response:
            routed = sum(r["in_msgs"] for r in (await response.json())["routes"] or [])
        async with session.get(f"{url}/varz") as response:
            total = (await response.json())["in_msgs"]
        counts["between nodes"] += routed
        counts["from clients"] += total - routed
    return counts


def profile(up: UpStack, plan: Plan) -> list[subprocess.Popen[bytes]]:
    """py-spy on each service for the window, as collapsed stacks (flame graph input)."""
    assert plan.profile is not None
    plan.profile.mkdir(parents=True, exist_ok=True)
    spy = str(Path(sys.executable).with_name("py-spy"))
    spies = []
    for name, pid in up.pids().items():
        if name in SERVICES:
            out = plan.profile / f"{name}.txt"
            argv = [spy, "record", "-p", str(pid), "-r", "200", "--format", "raw", "-o", str(out)]
            spies.append(
                subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            )
    print(f"profiling {len(spies)} services into {plan.profile}", flush=True)
    return spies


async def run_flips(session, farm: targets.Farm, plan: Plan, flips: list[Flip], start: float):
    """Each group's targets go down early in its share of the window, for 3 intervals."""
    share = plan.seconds / max(1, len(flips))
    outage = OUTAGE_INTERVALS * plan.interval
    for k, flip in enumerate(flips):
        await asyncio.sleep(max(0.0, start + share * k + plan.interval - time.time()))
        flip.down_at = time.time()
        await farm.set_down(session, flip.name, True)
        await asyncio.sleep(outage)
        flip.up_at = time.time()
        await farm.set_down(session, flip.name, False)


async def progress(api: aiohttp.ClientSession, ch, start: float) -> None:
    rows = await scalar(ch, "SELECT count() FROM check_results WHERE checked_at >= now64(3) - 10")
    async with api.get("/api/v1/ops/queues") as response:
        streams = (await response.json())["streams"]
    backlog = {
        c["name"]: c["pending"] + c["ack_pending"]
        for s in streams
        for c in s["consumers"]
        if s["name"] in ("CHECKS", "RESULTS")
    }
    queued = ", ".join(f"{name} {n}" for name, n in sorted(backlog.items()))
    print(
        f"  t+{time.time() - start:5.0f}s  {rows / 10:7.0f} rows/s  backlog: {queued}", flush=True
    )


def cpu_seconds(up: UpStack, farm: targets.Farm) -> dict[str, float]:
    spent = up.cpu_seconds()
    for proc in farm.procs:
        spent["targets"] += _cpu(psutil.Process(proc.pid))
    spent["bench"] += _cpu(psutil.Process())
    return dict(spent)


def _cpu(proc: psutil.Process) -> float:
    t = proc.cpu_times()
    return t.user + t.system


async def lateness_buckets(session: aiohttp.ClientSession, up: UpStack) -> dict[float, float]:
    """Cumulative counts of the scheduler's lateness histogram, by upper bound."""
    async with session.get(up.scheduler_metrics_url) as response:
        text = await response.text()
    buckets = {}
    for line in text.splitlines():
        if line.startswith("upmon_schedule_lateness_seconds_bucket"):
            le = line.split('le="')[1].split('"')[0]
            buckets[float(le)] = float(line.rsplit(" ", 1)[1])
    return buckets


async def drain(ch, window: Window, plan: Plan) -> None:
    """Until the slots of the window have all been recorded (or stopped coming)."""
    expected = plan.offered * plan.seconds
    last, still = -1, 0
    while still < 5:
        rows = await scalar(
            ch,
            f"SELECT count() FROM check_results WHERE {SCHEDULED_IN_WINDOW}",
            a=int(window.start * 1000),
            b=int(window.end * 1000),
        )
        if rows >= expected * 0.999 and rows == last:
            break
        still = still + 1 if rows == last else 0
        last = rows
        await asyncio.sleep(1)


async def report(ch, up: UpStack, plan: Plan, window: Window, flips, receiver) -> list[str]:
    """Prints the figures; returns what went wrong (lost checks or alerts, crashes)."""
    span = window.end - window.start
    bounds = {"a": int(window.start * 1000), "b": int(window.end * 1000)}
    rows = await checks_in_window(ch, bounds, plan)
    print()
    print(f"== {plan.monitors:,} monitors every {plan.interval}s ({plan.offered:,.0f} checks/s"
          f" offered), {plan.https_share:.0%} HTTPS, window {span:.0f}s"
          f"{f', targets answer in 0-{plan.target_ms} ms' if plan.target_ms else ''}"
          f"{', replicas ' + ' '.join(plan.replicas) if plan.replicas else ''}")  # fmt: skip
    rate = rows["checks"] / span
    print(f"checks/s sustained: {rate:,.0f} (goal {RATE_GOAL:,.0f}: ratio {rate / RATE_GOAL:.2f});"
          f" slowest 10 s by check time: {rows['slowest'] / 10:,.0f}/s")  # fmt: skip
    print(f"statuses: {dict(rows['statuses'])}")
    print(f"nothing missed: {rows['gaps']} gaps, {rows['missed']} missed rows, "
          f"{rows['absent']} monitors without rows, {rows['doubles']} slots with two rows"
          f" before merge")  # fmt: skip
    await print_latencies(ch, bounds, window)
    silent = print_flips(flips, receiver, await first_failures(ch, flips))
    window.checks = rows["checks"]
    print_cpu(window, rows["checks"], span)
    restarts = up.restarts()
    print(f"service restarts during the run: {len(restarts)}")
    for line in restarts:
        print(f"  {line}")
    problems = {
        "gaps": rows["gaps"],
        "missed rows": rows["missed"],
        "monitors without rows": rows["absent"],
        "outages without both alerts": silent,
        "service restarts": len(restarts),
    }
    return [f"{n} {what}" for what, n in problems.items() if n]


async def checks_in_window(ch, bounds: dict, plan: Plan) -> dict:
    where = SCHEDULED_IN_WINDOW
    per_monitor = await ch.query(
        f"SELECT count(), min(scheduled_at), max(scheduled_at), countIf(status = 'missed')"
        f" FROM check_results FINAL WHERE {where} GROUP BY monitor_id",
        parameters=bounds,
    )
    gaps = missed = checks = 0
    for count, low, high, miss in per_monitor.result_rows:
        gaps += round((high - low).total_seconds() / plan.interval) + 1 - count
        missed += miss
        checks += count - miss
    statuses = await ch.query(
        f"SELECT status, count() FROM check_results FINAL WHERE {where} GROUP BY status",
        parameters=bounds,
    )
    per_10s = await ch.query(
        f"SELECT intDiv(toUnixTimestamp64Milli(checked_at) - {{a:Int64}}, 10000) AS k, count()"
        f" FROM check_results FINAL WHERE checked_at >= {A} AND checked_at < {B} GROUP BY k",
        parameters=bounds,
    )
    whole = (bounds["b"] - bounds["a"]) // 10_000  # the last, partial 10 s does not count
    slowest = min((n for k, n in per_10s.result_rows if k < whole), default=0)
    doubles = await scalar(
        ch, f"SELECT count() - uniqExact(check_id) FROM check_results WHERE {where}", **bounds
    )
    return {
        "checks": checks,
        "gaps": gaps,
        "missed": missed,
        "absent": plan.monitors - len(per_monitor.result_rows),
        "statuses": Counter(dict(statuses.result_rows)),
        "slowest": slowest,
        "doubles": doubles,
    }


async def print_latencies(ch, bounds: dict, window: Window) -> None:
    result = await ch.query(
        "SELECT quantilesExact(0.5, 0.99, 1)(dateDiff('millisecond', scheduled_at, checked_at)),"
        " quantilesExact(0.5, 0.99, 1)(dateDiff('millisecond', checked_at, ingested_at))"
        f" FROM check_results FINAL WHERE {SCHEDULED_IN_WINDOW} AND status != 'missed'",
        parameters=bounds,
    )
    lag, row = result.result_rows[0]
    total = max(window.lateness.values(), default=0)
    p99 = next((le for le, n in sorted(window.lateness.items()) if n >= 0.99 * total), None)
    print(f"schedule lag, scheduler publish - scheduled (histogram of {total:,.0f}):"
          f" p99 <= {p99 * 1000 if p99 is not None else float('nan'):.0f} ms")  # fmt: skip
    print(f"scheduled -> result (lag + queue + check): p50 {lag[0]:.0f} ms, p99 {lag[1]:.0f} ms,"
          f" max {lag[2]:.0f} ms (goal p99 < {LAG_GOAL_S * 1000:.0f} ms:"
          f" ratio {lag[1] / (LAG_GOAL_S * 1000):.2f})")  # fmt: skip
    print(
        f"result -> ClickHouse row: p50 {row[0]:.0f} ms, p99 {row[1]:.0f} ms, max {row[2]:.0f} ms"
    )


async def first_failures(ch, flips: list[Flip]) -> dict[str, float]:
    """Each flipped monitor's first failing check after its target went down."""
    found = {}
    for flip in flips:
        result = await ch.query(
            "SELECT toString(monitor_id), toUnixTimestamp64Milli(min(checked_at)) / 1000"
            " FROM check_results WHERE monitor_id IN {ids:Array(UUID)}"
            f" AND checked_at >= {A} AND status NOT IN ('up', 'missed')"
            " GROUP BY monitor_id",
            parameters={"ids": flip.monitor_ids, "a": int(flip.down_at * 1000)},
        )
        found.update(dict(result.result_rows))
    return found


def print_flips(flips: list[Flip], receiver: Receiver, failed_at: dict[str, float]) -> int:
    """Prints alert latencies; returns how many monitors missed an alert."""
    down, up, pipeline, silent = [], [], [], 0
    for flip in flips:
        for mid in flip.monitor_ids:
            alerted = receiver.first("monitor.down", mid, flip.down_at)
            back = receiver.first("monitor.up", mid, flip.up_at)
            if alerted is None or back is None:
                silent += 1
                continue
            down.append(alerted - flip.down_at)
            up.append(back - flip.up_at)
            if mid in failed_at:
                pipeline.append(alerted - failed_at[mid])
    n = sum(len(f.monitor_ids) for f in flips)
    print(f"target down -> webhook ({len(down)} of {n} monitors, {silent} without both alerts):"
          f" {quantiles(down)}")  # fmt: skip
    print(f"  of which first failing check -> webhook: {quantiles(pipeline)}")
    print(f"target back up -> webhook: {quantiles(up)}")
    return silent


def quantiles(values: list[float]) -> str:
    if not values:
        return "no samples"
    s = sorted(values)
    p99 = s[min(len(s) - 1, int(0.99 * len(s)))]
    return f"p50 {s[len(s) // 2] * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max {s[-1] * 1000:.0f} ms"


def print_cpu(window: Window, checks: int, span: float) -> None:
    print(f"CPU per check over {checks:,} checks (2 cores = {2 * span:.0f} CPU s in the window):")
    upmon = sum(v for k, v in window.cpu.items() if k not in ("targets", "bench"))
    for name, spent in sorted(window.cpu.items(), key=lambda kv: -kv[1]):
        print(f"  {name:12} {spent:7.1f} CPU s  {1e6 * spent / max(1, checks):6.0f} us/check"
              f"  {100 * spent / span:5.1f}% of a core")  # fmt: skip
    if window.nats_msgs:
        per = ", ".join(f"{n / max(1, checks):.1f} {k}" for k, n in window.nats_msgs.items())
        print(f"  NATS messages per check, all nodes: {per}")
    if window.nats_nodes:
        per = ", ".join(
            f"{name} {1e6 * spent / max(1, checks):.0f}"
            for name, spent in sorted(window.nats_nodes.items())
        )
        print(f"  nats-server by node, us/check: {per}")
    print(f"  {'upmon total':12} {upmon:7.1f} CPU s  {1e6 * upmon / max(1, checks):6.0f} us/check"
          f"  (services and parts; targets and this script not counted)")  # fmt: skip
    if window.reference_us:
        ratio = 1e6 * upmon / max(1, checks) / window.reference_us
        verdict = "ok" if ratio <= STACK_CPU_GOAL else "ABOVE GOAL"
        print(f"  raw-protocol reference loop {window.reference_us:.0f} us/check on the same"
              f" targets (before the stack started): whole stack / reference {ratio:.1f}"
              f"   goal <= {STACK_CPU_GOAL}: {verdict}")  # fmt: skip


async def reference_cpu_us(farm: targets.Farm, plan: Plan, checks: int = 3000) -> float:
    """The raw-protocol loop's CPU per check, with the run's HTTP/HTTPS mix."""
    spent = 0.0
    for scheme, share in (("http", 1 - plan.https_share), ("https", plan.https_share)):
        n = int(checks * share)
        if n:
            loop = await raw.run(farm.urls(scheme, "/ok"), n, 200)
            spent += loop.cpu_seconds
    return 1e6 * spent / checks


def plan_of(args: argparse.Namespace) -> Plan:
    if args.quick:
        args.monitors, args.seconds = args.monitors or 2000, args.seconds or 60
    seconds = args.seconds or 300
    # Each outage, and an interval either side of it, fits in its share of the window.
    fits = seconds // ((OUTAGE_INTERVALS + 2) * args.interval)
    return Plan(
        monitors=args.monitors or 10_000,
        interval=args.interval,
        seconds=seconds,
        groups=min(args.groups, fits),
        group_size=args.group_size,
        https_share=args.https_share,
        farm=args.farm,
        target_ms=args.target_ms,
        profile=args.profile,
        replicas=tuple(args.replicas or ()),
        balance_leaders=args.balance_leaders,
    )


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--monitors", type=int, default=0, help="default 10,000")
    parser.add_argument("--interval", type=int, default=10, help="seconds between checks")
    parser.add_argument("--seconds", type=int, default=0, help="measured window, default 300")
    parser.add_argument("--groups", type=int, default=4, help="outages during the window")
    parser.add_argument("--group-size", type=int, default=25, help="monitors per outage")
    parser.add_argument("--https-share", type=float, default=0.0, help="share of HTTPS monitors")
    parser.add_argument("--farm", type=int, default=2, help="target processes")
    parser.add_argument(
        "--target-ms", type=int, default=0, help="targets answer after 0..N ms, spread out"
    )
    parser.add_argument("--quick", action="store_true", help="2,000 monitors for 60 s")
    parser.add_argument("--profile", type=Path, help="py-spy each service into this folder")
    parser.add_argument(
        "--replicas",
        action="append",
        metavar="SERVICE=N",
        help="upmon up --replicas: more replicas of a service (repeatable)",
    )
    parser.add_argument(
        "--nats-nodes",
        type=int,
        default=1,
        choices=[1, 3],
        help="3: run the plan on one NATS server (R1), then on a 3-node cluster (R3)",
    )
    parser.add_argument(
        "--balance-leaders",
        nargs="?",
        const="as-elected",
        default="",
        choices=["as-elected", "from-one-node"],
        help="with --nats-nodes 3: upmon leaders --balance halfway, each node's CPU either side;"
        " from-one-node drains every leader onto nats-1 first",
    )
    args = parser.parse_args()
    if not 0 <= args.target_ms <= 60_000:
        parser.error("--target-ms: from 0 to 60000")
    return args


if __name__ == "__main__":
    args = parse()
    asyncio.run(main(plan_of(args), args.nats_nodes))
