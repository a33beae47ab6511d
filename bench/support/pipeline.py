"""The real executor: a nats-server of its own, the executor service as a subprocess,
due checks published in bulk and their results counted as they arrive."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import nats
from nats.aio.msg import Msg

from shared import bus, config, sealing, topology
from shared.events import CheckDue, encode, result_decoder
from shared.kinds.http import HttpSpec
from shared.monitors import Monitor
from stack.parts import NatsServer, free_port

# Results flow to many monitors, as they do in production; their count barely matters.
MONITORS = 500


@dataclass
class Run:
    count: int
    first: float | None = None
    last: float | None = None
    ended: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    seen: set[str] = field(default_factory=set)
    done: asyncio.Event = field(default_factory=asyncio.Event)
    peak_rss_mb: float | None = None
    # Once the process pulls from NATS, before any check: measured when asked for.
    idle_rss_mb: float | None = None
    # CPU seconds used by (executor, nats-server) at the first and the last result.
    pids: tuple[int, ...] = ()
    cpu_first: tuple[float, ...] = ()
    cpu_last: tuple[float, ...] = ()

    @property
    def rate(self) -> float:
        """Checks per second once results flow: process start-up is not counted."""
        if self.first is None or self.last is None or self.last <= self.first:
            return 0.0
        return (len(self.seen) - 1) / (self.last - self.first)

    def cpu_us(self) -> tuple[float, ...]:
        """CPU microseconds per check of the executor and of nats-server, once results flow."""
        checks = max(1, len(self.seen) - 1)
        spent = zip(self.cpu_first, self.cpu_last, strict=True)
        return tuple(1e6 * (last - first) / checks for first, last in spent)

    def record(self, msg: Msg) -> None:
        result = result_decoder.decode(msg.data)
        if result.check_id in self.seen:
            return
        now = time.perf_counter()
        if self.first is None:
            self.first, self.cpu_first = now, _cpu_s(self.pids)
        self.last = now
        self.seen.add(result.check_id)
        self.ended[result.status] += 1
        if result.error_kind:
            self.errors[f"{result.error_kind}: {result.error}"] += 1
        if len(self.seen) >= self.count:
            self.cpu_last = _cpu_s(self.pids)
            self.done.set()


class Pipeline:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.nats = NatsServer(workdir, free_port())
        self.nc: bus.Client | None = None

    async def __aenter__(self) -> Pipeline:
        await asyncio.to_thread(self.nats.start)
        self.nc = await nats.connect(self.nats.url, name="bench")
        self.js = bus.jetstream(self.nc)
        self.settings = config.load({}, secret_key=sealing.generate_key(), nats_url=self.nats.url)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.nc is not None:
            await self.nc.close()
        await asyncio.to_thread(self.nats.stop)

    async def run(
        self,
        region: str,
        urls: list[str],
        count: int,
        concurrency: int,
        *,
        idle_first: bool = False,
        profile: Path | None = None,
    ) -> Run:
        """A fresh executor process works off `count` due checks.

        They are published before it starts, so that publishing them does not compete
        with it for CPU; with `idle_first`, once it runs, to read its idle RSS first."""
        await topology.ensure(self.js, self.settings, region=region)
        if not idle_first:
            await self._publish(region, urls, count)
        run = Run(count)

        async def record(msg: Msg) -> None:
            run.record(msg)

        assert self.nc is not None
        sub = await self.nc.subscribe(f"{topology.RESULTS}.{region}.>", cb=record)
        log = self.workdir / f"executor-{region}.log"
        proc = self._spawn(region, concurrency, log)
        run.pids = (proc.pid, self.nats.pid or 0)
        spy = _spy(proc.pid, profile / f"{region}.txt") if profile else None
        try:
            if idle_first:
                await self._until_pulling(region, proc, log)
                run.idle_rss_mb = _rss_mb(proc.pid, "VmRSS")
                await self._publish(region, urls, count)
            await _wait(proc, run, log)
        finally:
            await sub.unsubscribe()
            if spy is not None:
                await _stop(spy, signal.SIGINT)
            await _stop(proc)
        return run

    async def _until_pulling(self, region: str, proc: subprocess.Popen[bytes], log: Path) -> None:
        durable = topology.executor_consumer(region).durable
        async with asyncio.timeout(60):
            while (await self.js.consumer_info("CHECKS", durable)).num_waiting == 0:
                _alive(proc, log)
                await asyncio.sleep(0.05)

    async def _publish(self, region: str, urls: list[str], count: int) -> None:
        now = datetime.now(UTC)
        futures = []
        for i in range(count):
            due = _due(region, i, urls[i % len(urls)], now)
            subject = topology.due_subject(region, due.monitor_id)
            headers = {bus.MSG_ID: due.check_id}
            futures.append(await self.js.publish_async(subject, encode(due), headers=headers))
        await asyncio.gather(*futures)

    def _spawn(self, region: str, concurrency: int, log: Path) -> subprocess.Popen[bytes]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(config.PREFIX)}
        env.update(
            UPMON_NATS_URL=self.nats.url,
            UPMON_REGION=region,
            UPMON_EXECUTOR_CONCURRENCY=str(concurrency),
            UPMON_LOG_LEVEL="warning",
            UPMON_LOG_FORMAT="json",
            UPMON_METRICS_PORT="0",
        )
        argv = [sys.executable, "-m", "cli.main", "service", "executor"]
        with log.open("wb") as out:
            return subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)


async def _wait(proc: subprocess.Popen[bytes], run: Run, log: Path) -> None:
    # Generous: a stalled run must end with a message, not hang the benchmark.
    try:
        async with asyncio.timeout(180):
            while not run.done.is_set():
                _alive(proc, log)
                await asyncio.sleep(0.05)
    except TimeoutError:
        raise RuntimeError(f"only {len(run.seen)} of {run.count} results came") from None
    run.peak_rss_mb = _rss_mb(proc.pid, "VmHWM")


def _alive(proc: subprocess.Popen[bytes], log: Path) -> None:
    if proc.poll() is not None:
        raise RuntimeError(f"the executor exited with {proc.returncode}:\n{_tail(log)}")


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-2000:]


def _due(region: str, i: int, url: str, now: datetime) -> CheckDue:
    monitor_id = f"bench-{i % MONITORS}"
    spec = HttpSpec(verify_tls=False) if url.startswith("https") else HttpSpec()
    monitor = Monitor(
        id=monitor_id,
        name=monitor_id,
        kind="http",
        target=url,
        interval_s=60,
        timeout_s=30,
        http=spec,
        created_at=now,
        updated_at=now,
    )
    return CheckDue(
        check_id=f"{region}:{i}",
        monitor_id=monitor_id,
        region=region,
        slot=i,
        scheduled_at=now,
        deadline=now + timedelta(hours=1),
        monitor=monitor,
    )


def _cpu_s(pids: tuple[int, ...]) -> tuple[float, ...]:
    return tuple(_cpu_one(pid) for pid in pids)


def _cpu_one(pid: int) -> float:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    # Fields after the command name, which may itself hold spaces: utime and stime.
    fields = stat.rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int, field_name: str) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith(f"{field_name}:"):
            return int(line.split()[1]) / 1024
    return None


def _spy(pid: int, out: Path) -> subprocess.Popen[bytes]:
    """py-spy sampling the executor; it writes collapsed stacks when interrupted."""
    beside = Path(sys.executable).with_name("py-spy")
    spy = str(beside) if beside.exists() else "py-spy"
    argv = [spy, "record", "-p", str(pid), "-r", "1000", "--format", "raw", "-o", str(out)]
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def _stop(proc: subprocess.Popen[bytes], how: signal.Signals = signal.SIGTERM) -> None:
    if proc.poll() is None:
        proc.send_signal(how)
    try:
        await asyncio.to_thread(proc.wait, 15)
    except subprocess.TimeoutExpired:
        proc.kill()
        await asyncio.to_thread(proc.wait)
