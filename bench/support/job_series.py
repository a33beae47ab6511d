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
