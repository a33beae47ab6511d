"""Synthetic check histories with known regressions, for judging the anomaly detectors.

One check a minute per monitor for `days` days. Latency is log-normal around a
per-monitor median, with a daily cycle, a weekday/weekend difference, a slow
drift over the whole history, per-check noise, and rare single spikes (a slow
check among normal ones). Each failure is a check with no latency. Injected
regressions start at a random minute of the last week and last `step_minutes`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MINUTES_PER_DAY = 1440
# Injected kinds: (name, latency factor, failure points added).
KINDS = {
    "clean": (1.0, 0.0),
    "latency x1.5": (1.5, 0.0),
    "latency x2": (2.0, 0.0),
    "latency x4": (4.0, 0.0),
    "failures +5pp": (1.0, 5.0),
    "failures +20pp": (1.0, 20.0),
}


@dataclass
class Series:
    kind: str
    latency_ms: np.ndarray  # NaN where the check failed
    step_start: int | None  # minute index of the injected regression
    step_end: int | None


def make(kind: str, days: int, step_minutes: int, rng: np.random.Generator) -> Series:
    n = days * MINUTES_PER_DAY
    t = np.arange(n)
    median = rng.lognormal(np.log(80), 0.8)
    sigma = rng.uniform(0.1, 0.4)
    daily = rng.uniform(0.0, 0.3) * np.sin(2 * np.pi * (t / MINUTES_PER_DAY + rng.uniform()))
    weekday = (t // MINUTES_PER_DAY + rng.integers(7)) % 7
    weekend = np.where(weekday >= 5, -rng.uniform(0.0, 0.15), 0.0)
    drift = rng.uniform(-0.2, 0.2) * t / n
    log_latency = np.log(median) + daily + weekend + drift + rng.normal(0, sigma, n)
    spikes = rng.random(n) < 0.002
    log_latency[spikes] += np.log(rng.uniform(3, 20, spikes.sum()))
    fail_p = np.full(n, rng.uniform(0.0, 0.01))
    factor, points = KINDS[kind]
    start = end = None
    if kind != "clean":
        start = int(rng.integers(n - 7 * MINUTES_PER_DAY, n - step_minutes))
        end = start + step_minutes
        log_latency[start:end] += np.log(factor)
        fail_p[start:end] += points / 100
    latency = np.exp(log_latency)
    latency[rng.random(n) < fail_p] = np.nan
    return Series(kind, latency, start, end)
