"""Synthetic job run histories with known duration regressions.

A job runs every `every_min` minutes (10 minutes to 3 hours) for `days` days. Its
durations are log-normal around a per-job median (seconds to an hour), with a daily
cycle (night runs handle more data), a slow drift over the whole history, per-run
noise, and rare slow runs (a retry, a lock wait). An injected regression multiplies
the durations of `step_runs` consecutive runs of the last week by its factor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bench.support.anomaly_series import MINUTES_PER_DAY

JOB_KINDS = {"job clean": 1.0, "job duration x2": 2.0}
EVERY_MIN = (10, 30, 60, 180)


@dataclass
class JobSeries:
    kind: str
    every_min: int
    durations_s: np.ndarray  # one per run, oldest first
    step_start: int | None  # index of the first slow run
    step_end: int | None


def make_job(kind: str, days: int, step_runs: int, rng: np.random.Generator) -> JobSeries:
    every = int(rng.choice(EVERY_MIN))
    n = days * MINUTES_PER_DAY // every
    minute = np.arange(n) * every
    median = rng.lognormal(np.log(60), 1.2)
    sigma = rng.uniform(0.05, 0.4)
    daily = rng.uniform(0.0, 0.15) * np.sin(2 * np.pi * (minute / MINUTES_PER_DAY + rng.uniform()))
    drift = rng.uniform(-0.2, 0.2) * np.arange(n) / n
    log_s = np.log(median) + daily + drift + rng.normal(0, sigma, n)
    slow = rng.random(n) < 0.005
    log_s[slow] += np.log(rng.uniform(2, 10, slow.sum()))
    start = end = None
    if JOB_KINDS[kind] != 1.0:
        last_week = n - 7 * MINUTES_PER_DAY // every
        start = int(rng.integers(last_week, n - step_runs))
        end = start + step_runs
        log_s[start:end] += np.log(JOB_KINDS[kind])
    return JobSeries(kind, every, np.exp(log_s), start, end)


# Workload kinds: how the runs per day change from the injected minute on.
WORKLOAD_KINDS = {"runs clean": 1.0, "runs x0.5": 0.5, "runs x3": 3.0}


@dataclass
class RunTimes:
    kind: str
    minutes: np.ndarray  # the minute each run ended, ascending
    step_start: int | None  # the minute the runs per day changed


def make_runs(kind: str, days: int, rng: np.random.Generator) -> RunTimes:
    """When a job's runs end, over `days` days: a scheduled job (every 10 minutes to 3
    hours, a run now and then missing, a quarter of them resting at weekends) or a
    queue worker (Poisson, 20 to 500 runs a day with a daily cycle and busier and
    quieter days). From a minute of the last week on, x0.5 keeps every run with
    probability one half, x3 adds two more runs beside each."""
    n = days * MINUTES_PER_DAY
    if rng.random() < 0.5:
        every = int(rng.choice(EVERY_MIN))
        runs = np.arange(rng.integers(every), n, every)
        runs = runs[rng.random(runs.size) >= 0.002]
        if rng.random() < 0.25:
            weekday = (runs // MINUTES_PER_DAY + rng.integers(7)) % 7
            runs = runs[weekday < 5]
    else:
        per_day = rng.uniform(20, 500)
        day_factor = rng.lognormal(0.0, 0.15, days).repeat(MINUTES_PER_DAY)
        t = np.arange(n)
        cycle = 1 + rng.uniform(0, 0.5) * np.sin(2 * np.pi * (t / MINUTES_PER_DAY + rng.uniform()))
        runs = np.flatnonzero(rng.random(n) < per_day / MINUTES_PER_DAY * cycle * day_factor)
    factor = WORKLOAD_KINDS[kind]
    start = None
    if factor != 1.0:
        start = int(rng.integers(n - 7 * MINUTES_PER_DAY, n - MINUTES_PER_DAY))
        before, after = runs[runs < start], runs[runs >= start]
        if factor < 1:
            after = after[rng.random(after.size) < factor]
        else:
            extra = [after + rng.integers(0, 10, after.size) for _ in range(int(factor) - 1)]
            after = np.sort(np.concatenate([after, *extra]))
        runs = np.concatenate([before, after[after < n]])
    return RunTimes(kind, runs, start)
