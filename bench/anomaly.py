"""How well the anomaly detectors find known regressions, and what a pass costs ClickHouse.

Run: .venv/bin/python bench/anomaly.py [--monitors 1000] [--jobs 400] [--days 30]
     [--workload-jobs 400] [--seed 7] [--pass-monitors 10000] [--skip-pass]

Quality: synthetic histories (bench/support/anomaly_series.py: one check a minute,
log-normal latency with daily and weekly cycles, drift, noise and single spikes)
with regressions injected at known minutes of the last week: latency x1.5, x2 and
x4, failure rate +5 and +20 points. Every minute of that week is judged with the
real detectors of shared/anomaly.py on the same summaries the notifier reads from
ClickHouse: hourly medians and p95 for the baseline, the trailing 10 minutes for
latency, the trailing 30 for failures. Printed: recall and time to detection per
injected kind, precision, and false anomalies per monitor-week on the clean ones.

Jobs: synthetic run histories (bench/support/job_series.py: a run every 10 minutes
to 3 hours, log-normal durations with a daily cycle, drift and rare slow runs), half
of them with a x2 duration regression over 24 runs of the last week, judged after
every run of that week as the pass reads job_runs. Printed: recall within 5 runs,
precision, runs to detection, false anomalies per job-week on the clean ones.

Runs per day: synthetic run times (bench/support/job_series.py: scheduled jobs every
10 minutes to 3 hours, a quarter of them resting at weekends, and queue workers of
20 to 500 runs a day with a daily cycle and busier and quieter days), with x0.5 and
x3 changes injected at a minute of the last week, judged every 10 minutes of that week
on the trailing 24 hours' runs against the days before, as the pass counts job_runs.
Printed: recall within 24 and 48 hours, precision, time to detection, false
anomalies per job-week on the clean ones.

Cost: one real detection pass (shared/anomaly_data.py) over --pass-monitors
monitors whose 29 days of rollups are generated in an embedded ClickHouse, with
the ClickHouse time of its queries from system.query_log.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support.anomaly_series import KINDS, MINUTES_PER_DAY, Series, make
from bench.support.job_series import (
    JOB_KINDS,
    WORKLOAD_KINDS,
    JobSeries,
    RunTimes,
    make_job,
    make_runs,
)
from shared import anomaly
from shared.anomaly import AnomalySpec, HourStat, JobHistory, Window
from shared.anomaly_data import HISTORY_DAYS

LATENCY_WINDOW = 10
FAILURE_WINDOW = 30
HISTORY_HOURS = 29 * 24
RECALL_GOAL = 0.95
DETECT_WITHIN_MIN = 10
FALSE_GOAL = 0.01  # per monitor-week
PASS_GOAL_S = 5.0
STEP_MINUTES = 180
# A job's injected regression lasts this many runs; found within JOB_WITHIN_RUNS of them.
STEP_RUNS = 24
JOB_WITHIN_RUNS = 5
# Runs per day: judged every WORKLOAD_EVERY_MIN minutes of the last week; found within
# WORKLOAD_WITHIN_MIN of the change.
WORKLOAD_EVERY_MIN = 10
WORKLOAD_WITHIN_MIN = 24 * 60


@dataclass
class Opening:
    metric: str
    minute: int


@dataclass
class Tally:
    monitors: int = 0
    detected: int = 0
    delays: list[int] = field(default_factory=list)
    true_open: int = 0
    false_open: int = 0
    false_by_metric: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def hour_stats(latency: np.ndarray) -> list[tuple[float | None, float | None, int, int]]:
    hours = latency[: len(latency) // 60 * 60].reshape(-1, 60)
    out = []
    for row in hours:
        ok = row[~np.isnan(row)]
        if ok.size:
            out.append((float(np.median(ok)), float(np.percentile(ok, 95)), int(ok.size), 60))
        else:
            out.append((None, None, 0, 60))
    return out


def windows_of(latency: np.ndarray, size: int) -> dict[str, np.ndarray]:
    """Trailing windows ending at each minute: median, trimmed log mean (as
    shared.anomaly.trimmed_log_mean), p95 and answered count.

    The p95 of a 10-check window is never judged (shared.anomaly.MIN_WINDOW_P95), so it
    is left empty here rather than computed."""
    view = np.sort(sliding_window_view(latency, size), axis=1)  # NaNs sort last
    answered = np.sum(~np.isnan(view), axis=1)
    low = np.take_along_axis(view, np.maximum(answered - 1, 0)[:, None] // 2, axis=1)[:, 0]
    high = np.take_along_axis(view, (answered // 2)[:, None], axis=1)[:, 0]
    p50 = np.where(answered > 0, (low + high) / 2, np.nan)
    sums = np.concatenate(
        [np.zeros((len(view), 1)), np.cumsum(np.nan_to_num(np.log(view)), axis=1)], axis=1
    )
    cut = (answered * anomaly.TRIM).astype(int)
    kept = answered - 2 * cut
    total = np.take_along_axis(sums, (answered - cut)[:, None], axis=1)[:, 0]
    total -= np.take_along_axis(sums, cut[:, None], axis=1)[:, 0]
    log_mean = np.where(kept > 0, total / np.maximum(kept, 1), np.nan)
    pad = np.full(size - 1, np.nan)
    return {
        "latency_p50": np.concatenate([pad, p50]),
        "log_mean": np.concatenate([pad, log_mean]),
        "latency_p95": np.full(len(latency), np.nan),
        "answered": np.concatenate([pad, answered]),
    }


def judge(series: Series, spec: AnomalySpec) -> list[Opening]:
    """Every minute of the last week, as the notifier's pass would judge it."""
    lat = series.latency_ms
    first = len(lat) - 7 * MINUTES_PER_DAY
    bases = baselines(hour_stats(lat), first // 60, len(lat) // 60)
    w = windows_of(lat, LATENCY_WINDOW)
    failures = np.convolve(np.isnan(lat), np.ones(FAILURE_WINDOW), "full")[: len(lat)]
    # Where the detectors can fire at all (the first test each of them makes), as flags,
    # so the real detectors are called there and on open anomalies, not on every minute.
    minute_base = {m: _per_minute(bases, first, len(lat), m) for m in ("p50", "p95", "fail")}
    k = spec.min_consecutive
    maybe = {
        "latency_p50": _run_of(np.exp(w["log_mean"]) > minute_base["p50"] * spec.latency_factor, k),
        "latency_p95": _run_of(w["latency_p95"] > minute_base["p95"] * spec.latency_factor, k),
        "failure_rate": (failures >= anomaly.MIN_FAILURES)
        & (100 * (failures / FAILURE_WINDOW - minute_base["fail"]) >= spec.failure_rate_pp),
    }
    flags = {m: v[first:].tolist() for m, v in maybe.items()}
    openings: list[Opening] = []
    open_metrics: set[str] = set()
    for i in range(first, len(lat)):
        base = bases[i // 60]
        if base is None:
            continue
        for metric in ("latency_p50", "latency_p95"):
            if metric not in open_metrics and not flags[metric][i - first]:
                continue
            ws = _windows(w, slice(i - k + 1, i + 1), metric)
            if metric in open_metrics:
                if anomaly.cleared(spec, base, ws, metric):
                    open_metrics.discard(metric)
            elif anomaly.latency(spec, base, ws, metric):
                open_metrics.add(metric)
                openings.append(Opening(metric, i))
        if "failure_rate" not in open_metrics and not flags["failure_rate"][i - first]:
            continue
        failed = int(failures[i])
        window = Window(
            p50_ms=None, p95_ms=None, answered=FAILURE_WINDOW - failed, checks=FAILURE_WINDOW
        )
        if "failure_rate" in open_metrics:
            if anomaly.failure_cleared(spec, base, window):
                open_metrics.discard("failure_rate")
        elif anomaly.failure_rate(spec, base, window):
            open_metrics.add("failure_rate")
            openings.append(Opening("failure_rate", i))
    return openings


def baselines(hours, first_hour: int, last_hour: int) -> dict[int, anomaly.Baseline | None]:
    stats = [
        (h, HourStat(hours_ago=0, p50_ms=s[0], p95_ms=s[1], answered=s[2], checks=s[3]))
        for h, s in enumerate(hours)
    ]
    out = {}
    for hour in range(first_hour, last_hour + 1):
        past = stats[max(0, hour - HISTORY_HOURS) : hour]
        out[hour] = anomaly.baseline(
            [
                HourStat(
                    hours_ago=hour - h,
                    p50_ms=s.p50_ms,
                    p95_ms=s.p95_ms,
                    answered=s.answered,
                    checks=s.checks,
                )
                for h, s in past
                if (hour - h) % 24 == 0 or hour - h <= 24
            ]
        )
    return out


def _per_minute(bases, first: int, n: int, what: str) -> np.ndarray:
    out = np.full(n, np.inf if what != "fail" else 1.0)
    for i in range(first, n, 60):
        b = bases.get(i // 60)
        if b is not None:
            value = {"p50": b.p50_ms, "p95": b.p95_ms, "fail": b.failure_rate}[what]
            out[i : i + 60] = value
    return out


def _run_of(flags: np.ndarray, k: int) -> np.ndarray:
    """True where this and the k - 1 flags before it are all true."""
    counts = np.convolve(np.nan_to_num(flags).astype(int), np.ones(k, dtype=int), "full")
    return counts[: len(flags)] >= k


def _windows(w: dict[str, np.ndarray], recent: slice, metric: str) -> list[Window]:
    out = []
    values, logs = w[metric][recent], w["log_mean"][recent]
    for v, lm, n in zip(values, logs, w["answered"][recent], strict=True):
        p50 = metric == "latency_p50"
        value = None if np.isnan(v) else float(v)
        out.append(
            Window(
                p50_ms=value if p50 else None,
                p95_ms=value if not p50 else None,
                log_mean=float(lm) if p50 and not np.isnan(lm) else None,
                answered=int(n),
                checks=LATENCY_WINDOW,
            )
        )
    return out


def score(series: Series, openings: list[Opening], tally: Tally) -> None:
    tally.monitors += 1
    latency_kind = series.kind.startswith("latency")
    hit = None
    for o in openings:
        matches = o.metric.startswith("latency") if latency_kind else o.metric == "failure_rate"
        inside = (
            series.step_start is not None
            and series.step_start <= o.minute <= series.step_end + LATENCY_WINDOW
        )
        if matches and inside:
            tally.true_open += 1
            hit = o.minute if hit is None else min(hit, o.minute)
        else:
            tally.false_open += 1
            tally.false_by_metric[o.metric] += 1
    if hit is not None:
        tally.delays.append(hit - series.step_start)
        limit = DETECT_WITHIN_MIN if latency_kind else 60
        if hit - series.step_start <= limit:
            tally.detected += 1


def quality(monitors: int, days: int, seed: int) -> bool:
    rng = np.random.default_rng(seed)
    spec = AnomalySpec()
    names = list(KINDS)
    # Half the monitors clean, the rest shared among the injected kinds.
    plan = ["clean"] * (monitors // 2)
    plan += [names[1 + i % (len(names) - 1)] for i in range(monitors - len(plan))]
    tallies: dict[str, Tally] = defaultdict(Tally)
    started = time.perf_counter()
    for kind in plan:
        series = make(kind, days, STEP_MINUTES, rng)
        score(series, judge(series, spec), tallies[kind])
    print(
        f"quality: {monitors} monitors, {days} days at one check a minute, the last week"
        f" judged minute by minute ({time.perf_counter() - started:.0f} s)"
    )
    print(f"  defaults: {spec}")
    ok = True
    for kind in names[1:]:
        t = tallies[kind]
        within = DETECT_WITHIN_MIN if kind.startswith("latency") else 60
        recall = t.detected / max(1, t.monitors)
        precision = t.true_open / max(1, t.true_open + t.false_open)
        d = sorted(t.delays)
        delay = f"p50 {d[len(d) // 2]} min, p95 {d[int(0.95 * (len(d) - 1))]} min" if d else "-"
        goal = ""
        if kind in ("latency x2", "latency x4"):
            good = recall >= RECALL_GOAL
            ok &= good
            goal = f"   goal >= {RECALL_GOAL}: {'ok' if good else 'BELOW GOAL'}"
        print(
            f"  {kind:15} recall {recall:.2f} within {within} min ({t.detected}/{t.monitors}),"
            f" precision {precision:.2f}, time to detection {delay}{goal}"
        )
    clean = tallies["clean"]
    rate = clean.false_open / max(1, clean.monitors)  # one judged week per monitor
    good = rate < FALSE_GOAL
    ok &= good
    print(
        f"  clean           {clean.false_open} false anomalies over {clean.monitors}"
        f" monitor-weeks {dict(clean.false_by_metric)}: {rate * 100:.2f} per 100 monitor-weeks"
        f"   goal < {FALSE_GOAL * 100:.0f}: {'ok' if good else 'ABOVE GOAL'}"
    )
    return ok


def judge_job(series: JobSeries, spec: AnomalySpec) -> list[int]:
    """After every run of the last week, as the pass reads job_runs: the newest
    JOB_RECENT durations, and the quartiles of the 29 days of runs before them.
    Returns the indices of the runs after which a duration anomaly opened."""
    d = series.durations_s
    k = anomaly.JOB_RECENT
    back = HISTORY_DAYS * MINUTES_PER_DAY // series.every_min
    first = len(d) - 7 * MINUTES_PER_DAY // series.every_min
    logs = np.log(d)
    opened, out = False, []
    for i in range(first, len(d)):
        recent = d[i + 1 - k : i + 1]
        # The detector's first test, here so quartiles are computed only where it matters.
        centre = float(np.median(logs[max(0, i + 1 - k - back) : i + 1 - k]))
        newest = np.log(recent[-spec.min_consecutive :])
        if not opened and newest.min() - centre < np.log(spec.latency_factor):
            continue
        lo, hi = max(0, i + 1 - k - back), i + 1 - k
        base = logs[lo:hi]
        ago = ((i - np.arange(lo, hi)) * series.every_min) % MINUTES_PER_DAY
        near = base[np.abs(ago - MINUTES_PER_DAY // 2) >= MINUTES_PER_DAY // 2 - 60]
        job = JobHistory(
            recent_s=recent.tolist(),
            base_runs=len(base),
            base_log_q=_quartiles(base),
            hour_runs=len(near),
            hour_log_q=_quartiles(near) if len(near) else None,
        )
        if opened:
            opened = not anomaly.job_duration_cleared(spec, job)
        elif anomaly.job_duration(spec, job):
            opened = True
            out.append(i)
    return out


def _quartiles(logs: np.ndarray) -> tuple[float, float, float]:
    q = np.quantile(logs, (0.25, 0.5, 0.75))
    return float(q[0]), float(q[1]), float(q[2])


def job_quality(monitors: int, days: int, seed: int) -> None:
    rng = np.random.default_rng(seed + 1)
    spec = AnomalySpec()
    plan = ["job clean" if i % 2 == 0 else "job duration x2" for i in range(monitors)]
    found: dict[str, list] = {k: [] for k in JOB_KINDS}
    false_open = true_open = 0
    started = time.perf_counter()
    for kind in plan:
        series = make_job(kind, days, STEP_RUNS, rng)
        hit = None
        for i in judge_job(series, spec):
            inside = series.step_start is not None and (
                series.step_start <= i < series.step_end + spec.min_consecutive
            )
            if inside:
                true_open += 1
                hit = i if hit is None else min(hit, i)
            else:
                false_open += 1
        if series.step_start is not None:
            runs = None if hit is None else hit - series.step_start + 1
            found[kind].append((runs, series.every_min))
    x2 = found["job duration x2"]
    delays = sorted(r for r, _ in x2 if r is not None)
    minutes = sorted(r * e for r, e in x2 if r is not None)
    within = sum(1 for r, _ in x2 if r is not None and r <= JOB_WITHIN_RUNS)
    clean = plan.count("job clean")
    print(
        f"\njobs: {monitors} job monitors, {days} days of runs every 10 min to 3 h, every run"
        f" of the last week judged ({time.perf_counter() - started:.0f} s)"
    )
    delay = (
        f"p50 {delays[len(delays) // 2]} runs ({minutes[len(minutes) // 2]} min),"
        f" p95 {delays[int(0.95 * (len(delays) - 1))]} runs"
        if delays
        else "-"
    )
    print(
        f"  job duration x2 recall {within / max(1, len(x2)):.2f} within {JOB_WITHIN_RUNS}"
        f" runs ({within}/{len(x2)}), precision {true_open / max(1, true_open + false_open):.2f},"
        f" time to detection {delay}"
    )
    print(
        f"  job clean       {false_open} false anomalies over {clean} job-weeks:"
        f" {100 * false_open / max(1, clean):.2f} per 100 job-weeks"
    )


def judge_workload(runs: RunTimes, spec: AnomalySpec, days: int) -> list[int]:
    """Every WORKLOAD_EVERY_MIN minutes of the last week, the runs of the trailing 24
    hours and of each whole 24 hours before them, as the pass counts them in job_runs.
    Returns the minutes at which a runs-per-day anomaly opened."""
    n = days * MINUTES_PER_DAY
    t = runs.minutes
    opened, out = False, []
    for now in range(n - 7 * MINUTES_PER_DAY, n, WORKLOAD_EVERY_MIN):
        upto = int(np.searchsorted(t, now, side="right"))
        if upto == 0:
            continue
        whole = min(HISTORY_DAYS - 1, (now - int(t[0])) // MINUTES_PER_DAY - 1)
        edges = now - MINUTES_PER_DAY * np.arange(whole + 2)
        counts = -np.diff(np.searchsorted(t, edges, side="right"))
        job = JobHistory(runs_today=int(counts[0]), runs_per_day=counts[1:].tolist())
        if opened:
            opened = not anomaly.job_workload_cleared(spec, job)
        elif anomaly.job_workload(spec, job):
            opened = True
            out.append(now)
    return out


def workload_quality(monitors: int, days: int, seed: int) -> None:
    rng = np.random.default_rng(seed + 2)
    spec = AnomalySpec()
    kinds = list(WORKLOAD_KINDS)
    plan = [kinds[0] if i % 2 == 0 else kinds[1 + (i // 2) % 2] for i in range(monitors)]
    delays: dict[str, list[int | None]] = {k: [] for k in kinds[1:]}
    true_open = dict.fromkeys(kinds, 0)
    false_open = dict.fromkeys(kinds, 0)
    started = time.perf_counter()
    for kind in plan:
        runs = make_runs(kind, days, rng)
        hit = None
        for minute in judge_workload(runs, spec, days):
            if runs.step_start is not None and minute >= runs.step_start:
                true_open[kind] += 1
                hit = minute if hit is None else min(hit, minute)
            else:
                false_open[kind] += 1
        if runs.step_start is not None:
            delays[kind].append(None if hit is None else hit - runs.step_start)
    print(
        f"\nruns per day: {monitors} jobs (scheduled every 10 min to 3 h, some resting at"
        f" weekends, or queue workers at 20-500 runs a day), judged every"
        f" {WORKLOAD_EVERY_MIN} min of the last week ({time.perf_counter() - started:.0f} s)"
    )
    for kind in kinds[1:]:
        found = sorted(d for d in delays[kind] if d is not None)
        within = sum(1 for d in found if d <= WORKLOAD_WITHIN_MIN)
        later = sum(1 for d in found if d <= 2 * WORKLOAD_WITHIN_MIN)
        total = len(delays[kind])
        opened = true_open[kind] + false_open[kind]
        delay = "-"
        if found:
            p50, p95 = found[len(found) // 2] / 60, found[int(0.95 * (len(found) - 1))] / 60
            delay = f"p50 {p50:.1f} h, p95 {p95:.1f} h"
        print(
            f"  {kind:15} recall {within / max(1, total):.2f} within 24 h ({within}/{total}),"
            f" {later / max(1, total):.2f} within 48 h,"
            f" precision {true_open[kind] / max(1, opened):.2f}, time to detection {delay}"
        )
    clean = plan.count(kinds[0])
    print(
        f"  runs clean      {false_open[kinds[0]]} false anomalies over {clean} job-weeks:"
        f" {100 * false_open[kinds[0]] / max(1, clean):.2f} per 100 job-weeks"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--monitors", type=int, default=1000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=400, help="job monitors judged")
    parser.add_argument(
        "--workload-jobs", type=int, default=400, help="job monitors judged on runs per day"
    )
    parser.add_argument("--pass-monitors", type=int, default=10_000)
    parser.add_argument("--skip-pass", action="store_true", help="quality only")
    args = parser.parse_args()
    ok = quality(args.monitors, args.days, args.seed)
    job_quality(args.jobs, args.days, args.seed)
    workload_quality(args.workload_jobs, args.days, args.seed)
    if not args.skip_pass:
        from bench.support.anomaly_pass import run_pass

        with tempfile.TemporaryDirectory(prefix="upmon-anomaly-") as work:
            ok &= asyncio.run(run_pass(Path(work), args.pass_monitors, PASS_GOAL_S))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
