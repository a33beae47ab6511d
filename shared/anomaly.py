"""Anomaly detection: is a monitor slower or flakier than its own past?

Pure functions over summaries the ClickHouse rollups give (`shared/anomaly_data.py`
reads them), so the notifier's periodic pass, the api's on-demand analysis and the
benchmark all run exactly these decisions.

Latency is judged on a log scale, where check latencies are close to normal: a
window's centre is compared with the baseline's median and fires only when it is
both `latency_factor` times higher and further above than the window's own
sampling noise and the baseline's uncertainty allow (Z_CENTRE standard errors for
the centre, Z_LATENCY for medians and p95s). That second bound is what keeps clean
monitors quiet: a 10-check window of a noisy monitor can easily read 1.5x its usual
median by chance; it cannot read 4.1 standard errors above it, except about once in
48,000 windows, and `min_consecutive` overlapping windows in a row must fire. The
bar is only as good as the baseline, so the baseline follows a monitor's drift and
states its own uncertainty honestly (see _weekly_centre).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Annotated, Literal

from msgspec import Meta, Struct

Metric = Literal["latency_p50", "latency_p95", "failure_rate", "job_duration", "job_runs"]
Severity = Literal["low", "medium", "high", "critical"]
Seasonality = Literal["hour_of_week", "daily", "rolling"]

# Standard errors a window must stand above the baseline (one-sided p ~ 3e-7).
Z_LATENCY = 5.0
# The bar for a window's trimmed mean. Ten checks of a monitor with sigma 0.4 put a x2
# step only 5.1 standard errors out, so a bar of 5 missed half of those. 4.1 finds most,
# now that the baseline follows drift and says how sure it is (see _weekly_centre); a
# higher bar hardly changed the false anomalies bench/anomaly.py measured, which came
# from a centre that was off (a bar cannot help there) and from spikes (see
# _window_fires).
Z_CENTRE = 4.1
# Standard error of a median of n log-normal samples: 1.2533 sigma / sqrt(n); of the
# 95th percentile: sqrt(.95 * .05) / phi(1.645) sigma / sqrt(n) = 2.116 sigma / sqrt(n).
MEDIAN_SE = 1.2533
P95_SE = 2.116
# A window's centre is the mean of its log latencies without the lowest and highest
# TRIM of them: a slow check or two among ten cannot move it, and it is a finer
# measure than the median (standard error 1.07 sigma / sqrt(n) against 1.25, found by
# simulation for n from 5 to 600), so a x2 step shows in ten checks of a noisier monitor.
TRIM = 0.2
TRIMMED_SE = 1.07
# A spread below this (log scale) is treated as this: a perfectly steady baseline
# must not turn a 2% wobble into an anomaly.
MIN_LOG_SPREAD = 0.05
# The failure-rate detector fires only when a rise this unlikely under the baseline.
FAILURE_TAIL_P = 1e-6
MIN_FAILURES = 3
# Checks a window needs for a verdict on its median, and on its 95th percentile: the
# p95 of a handful of checks is their slowest one, and one slow check is not a trend.
MIN_WINDOW_P50 = 5
MIN_WINDOW_P95 = 40
# Weeks of history before hour-of-week seasonality is used; days before daily.
SEASONAL_WEEKS = 3
DAILY_DAYS = 3


class AnomalySpec(Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """The monitor field `anomaly`: documented defaults, per-monitor overrides."""

    enabled: bool = True
    # The current median (or p95) must be at least this many times the baseline's.
    latency_factor: Annotated[float, Meta(ge=1.05, le=100)] = 1.5
    # Consecutive windows (one a minute) that must all be anomalous.
    min_consecutive: Annotated[int, Meta(ge=1, le=10)] = 3
    # Baseline checks needed before any latency or failure verdict (warm-up).
    min_samples: Annotated[int, Meta(ge=1, le=1_000_000)] = 200
    # The failure rate must rise this many percentage points above the baseline.
    failure_rate_pp: Annotated[float, Meta(gt=0, le=100)] = 5.0
    # Past runs a job needs before its durations are judged (its warm-up); its runs
    # per day are judged once WORKLOAD_DAYS whole days of them exist.
    min_runs: Annotated[int, Meta(ge=3, le=100_000)] = 10


class Baseline(Struct, kw_only=True, frozen=True):
    """What is normal for one monitor and region at this time of the week."""

    p50_ms: float
    p95_ms: float
    # Robust standard deviation of log latency per check.
    log_spread: float
    # How much the compared hours' medians disagree (log scale): the baseline's own
    # uncertainty, added to a window's noise.
    centre_spread: float = 0.0
    samples: int
    failure_rate: float
    seasonality: Seasonality


class Window(Struct, kw_only=True, frozen=True):
    """One recent window (the newest last in a sequence): its checks and latencies."""

    p50_ms: float | None
    p95_ms: float | None
    answered: int
    checks: int
    # The TRIM-trimmed mean of ln(latency ms) of the answered checks; when absent, the
    # median is judged instead.
    log_mean: float | None = None


def trimmed_log_mean(latencies_ms: Sequence[float]) -> float | None:
    """The window centre the detector judges (see TRIM), as the query computes it."""
    logs = sorted(math.log(v) for v in latencies_ms if v > 0)
    cut = int(len(logs) * TRIM)
    kept = logs[cut : len(logs) - cut]
    return sum(kept) / len(kept) if kept else None


class Finding(Struct, kw_only=True, frozen=True):
    metric: Metric
    current: float
    baseline: float
    severity: Severity
    # How far out, in the metric's own terms: a ratio for latency, points for rates.
    deviation: float
    # Which past the baseline came from, when not a latency Baseline's.
    seasonality: Seasonality | None = None


def severity_of_ratio(ratio: float) -> Severity:
    if ratio >= 5:
        return "critical"
    if ratio >= 3:
        return "high"
    if ratio >= 2:
        return "medium"
    return "low"


def severity_of_points(points: float) -> Severity:
    if points >= 50:
        return "critical"
    if points >= 20:
        return "high"
    if points >= 10:
        return "medium"
    return "low"


def latency_fires(
    current_ms: float | None, base: Baseline, base_ms: float, n: int, factor: float, se: float
) -> bool:
    if current_ms is None or current_ms <= 0:
        return False
    return log_rise_fires(math.log(current_ms), base, base_ms, n, factor, se)


def log_rise_fires(
    current_log: float,
    base: Baseline,
    base_ms: float,
    n: int,
    factor: float,
    se: float,
    z: float = Z_LATENCY,
) -> bool:
    if n <= 0 or base_ms <= 0:
        return False
    rise = current_log - math.log(base_ms)
    window = se * max(base.log_spread, MIN_LOG_SPREAD) / math.sqrt(n)
    noise = z * math.hypot(window, base.centre_spread)
    return rise > max(math.log(factor), noise)


def latency(
    spec: AnomalySpec, base: Baseline, windows: Sequence[Window], metric: Metric = "latency_p50"
) -> Finding | None:
    """A latency regression: the newest `min_consecutive` windows all fire."""
    if not spec.enabled or base.samples < spec.min_samples or len(windows) < spec.min_consecutive:
        return None
    p95 = metric == "latency_p95"
    base_ms = base.p95_ms if p95 else base.p50_ms
    se = P95_SE if p95 else MEDIAN_SE
    least = MIN_WINDOW_P95 if p95 else MIN_WINDOW_P50
    recent = windows[-spec.min_consecutive :]
    for w in recent:
        if w.answered < least or not _window_fires(spec, base, base_ms, w, p95, se):
            return None
    newest = recent[-1]
    current = newest.p95_ms if p95 else _centre_ms(newest)
    assert current is not None
    ratio = current / base_ms
    return Finding(
        metric=metric,
        current=round(current, 3),
        baseline=round(base_ms, 3),
        severity=severity_of_ratio(ratio),
        deviation=round(ratio, 3),
    )


def _window_fires(
    spec: AnomalySpec, base: Baseline, base_ms: float, w: Window, p95: bool, se: float
) -> bool:
    factor = spec.latency_factor
    if not p95 and w.log_mean is not None:
        # The median must be `factor` times the baseline's too: two spikes in a window
        # that lost a check to a failure leave one spike in its trimmed mean, enough to
        # lift a steady monitor's centre over the factor while most checks are usual.
        median_up = w.p50_ms is not None and w.p50_ms >= factor * base_ms
        return median_up and log_rise_fires(
            w.log_mean, base, base_ms, w.answered, factor, TRIMMED_SE, Z_CENTRE
        )
    value = w.p95_ms if p95 else w.p50_ms
    return latency_fires(value, base, base_ms, w.answered, factor, se)


def _centre_ms(w: Window) -> float | None:
    """What a window's median latency is reported as: the value the detector judged."""
    return math.exp(w.log_mean) if w.log_mean is not None else w.p50_ms


def binomial_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p)."""
    if k <= 0:
        return 1.0
    if p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    total = 0.0
    log_p, log_q = math.log(p), math.log1p(-p)
    for i in range(k, n + 1):
        log_term = math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1)
        total += math.exp(log_term + i * log_p + (n - i) * log_q)
    return min(1.0, total)


def failure_rate(spec: AnomalySpec, base: Baseline, window: Window) -> Finding | None:
    """A failure-rate spike over one (longer) window against the baseline's rate."""
    if not spec.enabled or base.samples < spec.min_samples or window.checks <= 0:
        return None
    failures = window.checks - window.answered
    rate = failures / window.checks
    points = 100 * (rate - base.failure_rate)
    if failures < MIN_FAILURES or points < spec.failure_rate_pp:
        return None
    # A floor on the baseline rate: a monitor that never failed is not certain never to.
    expected = max(base.failure_rate, 1.0 / max(base.samples, 1))
    if binomial_tail(failures, window.checks, expected) > FAILURE_TAIL_P:
        return None
    return Finding(
        metric="failure_rate",
        current=round(rate, 4),
        baseline=round(base.failure_rate, 4),
        severity=severity_of_points(points),
        deviation=round(points, 2),
    )


def cleared(spec: AnomalySpec, base: Baseline, windows: Sequence[Window], metric: Metric) -> bool:
    """An open latency anomaly clears once `min_consecutive` windows are back under half
    the way from the baseline to the firing threshold (hysteresis: no flapping)."""
    if len(windows) < spec.min_consecutive:
        return False
    p95 = metric == "latency_p95"
    base_ms = base.p95_ms if p95 else base.p50_ms
    limit = base_ms * (1 + (spec.latency_factor - 1) / 2)
    for w in windows[-spec.min_consecutive :]:
        value = w.p95_ms if p95 else _centre_ms(w)
        if value is None or value > limit:
            return False
    return True


def failure_cleared(spec: AnomalySpec, base: Baseline, window: Window) -> bool:
    if window.checks <= 0:
        return False
    rate = (window.checks - window.answered) / window.checks
    return 100 * (rate - base.failure_rate) < spec.failure_rate_pp / 2


class HourStat(Struct, kw_only=True, frozen=True):
    """One hour of the rollup: when it was, and what it held."""

    hours_ago: int
    p50_ms: float | None
    p95_ms: float | None
    answered: int
    checks: int


def baseline(hours: Sequence[HourStat]) -> Baseline | None:
    """The baseline for the current hour from up to 29 days of hourly rollups.

    Hour-of-week seasonality (the same hour in past weeks) once SEASONAL_WEEKS of it
    exist; else the same hour on past days; else the last 24 hours and the current one
    (a young monitor). The centre is the
    median of those hours' medians, the spread the median of their log(p95/p50) / 1.645.
    """
    hours = sorted(hours, key=lambda h: h.hours_ago)
    weekly = [h for h in hours if h.hours_ago >= 168 and h.hours_ago % 168 == 0]
    daily = [h for h in hours if h.hours_ago >= 24 and h.hours_ago % 24 == 0][:7]
    # A young monitor's only past is today, the hour in progress included.
    rolling = [h for h in hours if h.hours_ago <= 24]
    for chosen, kind in ((weekly, "hour_of_week"), (daily, "daily"), (rolling, "rolling")):
        enough = SEASONAL_WEEKS if kind == "hour_of_week" else DAILY_DAYS
        used = [h for h in chosen if h.p50_ms and h.p95_ms and h.answered > 0]
        if len(used) >= (enough if kind != "rolling" else 1):
            # Warm-up counts the whole history read, not just the hours compared.
            history = sum(h.checks for h in hours)
            return _baseline_of(used, hours, kind, history)  # type: ignore[arg-type]
    return None


def _baseline_of(
    used: list[HourStat], counted: list[HourStat], kind: Seasonality, history: int
) -> Baseline:
    # Per-check noise is hardly seasonal, and the few hours compared estimate it poorly:
    # the monitors whose estimate came out low were the ones raising false anomalies.
    # So every hour read speaks too, and the larger of the two is used.
    spread = max(_spread(used), _spread(counted))
    # Failures are rare and hardly seasonal: their rate is read from the whole history,
    # since the few hours compared for latency would often show none at all.
    checks = sum(h.checks for h in counted)
    answered = sum(h.answered for h in counted)
    if kind == "hour_of_week":
        p50, p95, centre_se = _weekly_centre(used, counted)
    else:
        p50, p95, centre_se = _plain_centre(used)
    return Baseline(
        p50_ms=p50,
        centre_spread=centre_se,
        p95_ms=p95,
        log_spread=max(MIN_LOG_SPREAD, spread),
        samples=history,
        failure_rate=(checks - answered) / checks if checks else 0.0,
        seasonality=kind,
    )


def _plain_centre(used: list[HourStat]) -> tuple[float, float, float]:
    """The median of the compared hours (ms), and its uncertainty from their MAD."""
    logs = [math.log(h.p50_ms) for h in used if h.p50_ms]
    centre = _median(logs)
    # 1.4826 MAD estimates a standard deviation; of the centre, a median of len(logs).
    centre_sd = 1.4826 * _median([abs(v - centre) for v in logs]) if len(logs) >= 3 else 0.0
    p50 = _median([h.p50_ms for h in used if h.p50_ms])
    p95 = _median([h.p95_ms for h in used if h.p95_ms])
    return p50, p95, MEDIAN_SE * centre_sd / math.sqrt(len(logs))


def _weekly_centre(used: list[HourStat], counted: list[HourStat]) -> tuple[float, float, float]:
    """The same hour of past weeks, carried forward along the monitor's drift.

    The weeks compared are one to four weeks old, so a monitor whose latency creeps
    (0.2 in log over a month) had a centre 0.1 off, and those weeks disagreeing made
    its uncertainty look large too: the missed x2 steps and the false anomalies of the
    last measurement were mostly that. The drift is the Theil-Sen slope of the same
    hour on every past day, paired only within a weekday (so the weekly cycle cannot
    pass for a drift); each week's hour is moved along it to now.
    """
    days = [
        (h.hours_ago // 24, math.log(h.p50_ms), math.log(h.p95_ms))
        for h in counted
        if h.hours_ago >= 24 and h.hours_ago % 24 == 0 and h.p50_ms and h.p95_ms and h.answered > 0
    ]
    groups: dict[int, list[tuple[int, float, float]]] = {}
    for d in days:
        groups.setdefault(d[0] % 7, []).append(d)
    slopes = [
        (b[1] - a[1]) / (b[0] - a[0])
        for g in groups.values()
        for i, a in enumerate(g)
        for b in g[i + 1 :]
    ]
    slope = _median(slopes)
    weeks = [(h.hours_ago // 24, h.p50_ms, h.p95_ms) for h in used]
    # Moved in ms (a factor), so that a monitor with no drift keeps its hours' exact median.
    centre = _median([ms * math.exp(-slope * d) for d, ms, _ in weeks])
    p95 = _median([ms * math.exp(-slope * d) for d, _, ms in weeks])
    # The hour-to-hour noise, from the differences of same-weekday days once moved
    # along the drift (each the difference of two noisy hours: sqrt 2 of it).
    gaps: list[float] = []
    sxx = 0.0
    for g in groups.values():
        moved = [y - slope * d for d, y, _ in g]
        gaps += [abs(a - b) for i, a in enumerate(moved) for b in moved[i + 1 :]]
        mean_d = sum(d for d, _, _ in g) / len(g)
        sxx += sum((d - mean_d) ** 2 for d, _, _ in g)
    noise = 1.4826 * _median(gaps) / math.sqrt(2)
    # No hour's median is surer than its checks allow: a few days that happen to agree
    # must not make the centre look exact.
    per_hour = _median([h.answered for h in used])
    noise = max(noise, MEDIAN_SE * max(_spread(counted), MIN_LOG_SPREAD) / math.sqrt(per_hour))
    mean_ago = sum(d for d, _, _ in weeks) / len(weeks)
    slope_se = noise / math.sqrt(sxx) if sxx > 0 else 0.0
    centre_se = math.hypot(MEDIAN_SE * noise / math.sqrt(len(weeks)), mean_ago * slope_se)
    # The same hour of the last week's days, read plainly, is a second estimate of now,
    # hardly moved by drift. Where the weeks carried forward land far from it, they are
    # less sure than their scatter says (half the gap): the false anomalies of noisy
    # monitors left at a bar of 4.2 were hours whose centre sat under both the hour
    # itself and most days before it, by up to 0.2.
    last_week = [y for d, y, _ in days if d <= 7]
    if len(last_week) >= DAILY_DAYS:
        gap = _median(last_week) - math.log(centre)
        centre_se = math.hypot(centre_se, gap / 2)
    return centre, p95, centre_se


def _spread(hours: Sequence[HourStat]) -> float:
    """The median over hours of log(p95 / p50) / 1.645: a log-normal's sigma."""
    return _median(
        [
            math.log(h.p95_ms / h.p50_ms) / 1.645
            for h in hours
            if h.p50_ms and h.p95_ms and h.p50_ms > 0 and h.answered > 0
        ]
    )


def _median(values: Sequence[float]) -> float:
    s = sorted(values)
    if not s:
        return 0.0
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


Trend = Literal["increasing", "decreasing", "stable"]


class Change(Struct, kw_only=True, frozen=True):
    current: float | None
    previous: float | None
    change: float | None
    change_pct: float | None
    trend: Trend


def change(current: float | None, previous: float | None, stable_pct: float = 10.0) -> Change:
    """A metric against the previous period, with a trend word (within +-10%: stable)."""
    if current is None or previous is None:
        return Change(
            current=current, previous=previous, change=None, change_pct=None, trend="stable"
        )
    delta = current - previous
    pct = 100 * delta / previous if previous else (0.0 if delta == 0 else math.inf)
    trend: Trend = "stable"
    if pct > stable_pct:
        trend = "increasing"
    elif pct < -stable_pct:
        trend = "decreasing"
    finite = pct if math.isfinite(pct) else None
    return Change(
        current=current,
        previous=previous,
        change=round(delta, 4),
        change_pct=None if finite is None else round(finite, 2),
        trend=trend,
    )


LATENCY_METRICS: tuple[Metric, ...] = ("latency_p50", "latency_p95")


class Verdict(Struct, kw_only=True, frozen=True):
    """One monitor and region after a pass: what opened and what cleared."""

    detected: list[Finding]
    cleared: list[Metric]
    baseline: Baseline | None


def judge(
    spec: AnomalySpec,
    hours: Sequence[HourStat],
    windows: Sequence[Window],
    failures: Window | None,
    open_metrics: frozenset[str] = frozenset(),
) -> Verdict:
    """Every detector for one monitor and region: anomalies that start now, and open
    ones (`open_metrics`) that are over. An open metric never fires again."""
    base = baseline(hours)
    if base is None or not spec.enabled:
        return Verdict(detected=[], cleared=[], baseline=base)
    detected: list[Finding] = []
    gone: list[Metric] = []
    for metric in LATENCY_METRICS:
        if metric in open_metrics:
            if cleared(spec, base, windows, metric):
                gone.append(metric)
            continue
        # A slower median slows the tail too: the p95 speaks only of tail regressions.
        median_out = "latency_p50" in open_metrics or bool(detected)
        if metric == "latency_p95" and median_out:
            continue
        if found := latency(spec, base, windows, metric):
            detected.append(found)
    if failures is not None:
        if "failure_rate" in open_metrics:
            if failure_cleared(spec, base, failures):
                gone.append("failure_rate")
        elif found := failure_rate(spec, base, failures):
            detected.append(found)
    return Verdict(detected=detected, cleared=gone, baseline=base)


# Jobs: durations of their runs, and how many runs a day.
#
# Runs of a job are few and independent (unlike overlapping latency windows), so the
# newest streak of runs each `latency_factor` times the usual duration, at least
# `min_consecutive` (and up to JOB_RECENT) long, is judged together: Fisher's method
# turns the runs' tail probabilities into one for the streak, exact for any length
# (their bare product, judged before, made a streak of five modest runs look as
# unlikely as one extreme run, and noisy jobs false-alarmed). A longer streak of a
# noisy job still gets there where three runs cannot.
#
# The bar is for a week of judgements: a job is judged after every run, so one that
# runs every 10 minutes gets 1,008 chances a week to false-alarm and a 3-hourly one 56;
# JOB_WEEK_P is shared among the week's runs (Bonferroni), which asks more of the
# frequent job's streak and less of the rare one's, whose few runs are all it has.
JOB_WEEK_P = 4e-3
# Days of history the baselines read (hour rollups, job runs): a job's runs read over
# them are how often it is judged.
HISTORY_DAYS = 29
JOB_RECENT = 10
# One run counts as at most this many standard deviations out, so a single very slow
# run (a lock wait, a retry) cannot carry the verdict for its neighbours; unless the
# monitor asks for single runs to be judged (min_consecutive 1).
JOB_Z_CAP = 3.0
# Whole past days of runs before runs per day are judged; weeks for the same weekday.
WORKLOAD_DAYS = 7
WORKLOAD_WEEKS = 3
# A day's runs must differ from the usual by at least this many, and this many
# standard deviations (of ln runs). The trailing 24 hours' count moves slowly, so a
# week holds few independent looks at it, not thousands as latency windows; but the
# variation is read from a month of days at most, so the bar stays high.
MIN_RUN_CHANGE = 3
Z_WORKLOAD = 4.5
JOB_REGION = "*"  # job runs belong to the monitor, not to a region


class JobHistory(Struct, kw_only=True, frozen=True):
    """One job monitor's runs, as the detectors read them."""

    # Durations (s) of the newest (up to JOB_RECENT) successful timed runs, oldest first.
    recent_s: list[float] = []
    # The successful timed runs before those: how many, and quartiles of ln(seconds);
    # and of those that ended within an hour of this time of day (night runs may
    # handle more data, and neighbouring runs share the time of day).
    base_runs: int = 0
    base_log_q: tuple[float, float, float] | None = None
    hour_runs: int = 0
    hour_log_q: tuple[float, float, float] | None = None
    # Runs (successes and failures) in the trailing 24 hours, and in each whole 24 hours
    # before it since the first run (index 0: 24 to 48 hours ago).
    runs_today: int = 0
    runs_per_day: list[int] = []
    # Expected runs that did not come in the trailing 24 hours.
    missed_today: int = 0


def job_duration(spec: AnomalySpec, job: JobHistory) -> Finding | None:
    """A duration regression: the newest streak of slow runs (see JOB_WEEK_P)."""
    if not spec.enabled or job.base_runs < spec.min_runs or job.base_log_q is None:
        return None
    runs, (q1, centre, q3), kind = job.base_runs, job.base_log_q, "rolling"
    if job.hour_log_q is not None and job.hour_runs >= spec.min_runs:
        runs, (q1, centre, q3), kind = job.hour_runs, job.hour_log_q, "daily"
    streak = []
    for seconds in reversed(job.recent_s[-JOB_RECENT:]):
        rise = math.log(max(seconds, 1e-3)) - centre
        if rise < math.log(spec.latency_factor):
            break
        streak.append(rise)
    if len(streak) < spec.min_consecutive:
        return None
    # The IQR of a normal is 1.349 sigma; the median of n runs is uncertain too.
    spread = max(MIN_LOG_SPREAD, (q3 - q1) / 1.349)
    sd = math.hypot(spread, MEDIAN_SE * spread / math.sqrt(runs))
    cap = JOB_Z_CAP if spec.min_consecutive > 1 else math.inf
    tails = [_log_tail(min(rise / sd, cap)) for rise in streak]
    if _log_fisher(tails) > math.log(JOB_WEEK_P / _runs_a_week(job)):
        return None
    usual = math.exp(centre)
    ratio = job.recent_s[-1] / usual
    return Finding(
        metric="job_duration",
        current=round(job.recent_s[-1], 3),
        baseline=round(usual, 3),
        severity=severity_of_ratio(ratio),
        deviation=round(ratio, 3),
        seasonality=kind,  # type: ignore[arg-type]
    )


def _log_tail(z: float) -> float:
    """ln P(X > z) for a standard normal X."""
    return math.log(max(0.5 * math.erfc(z / math.sqrt(2)), 1e-300))


def _log_fisher(log_tails: Sequence[float]) -> float:
    """ln P that independent runs' tail probabilities multiply to at most theirs: with
    T = -sum(ln p) over k runs, P(Gamma(k, 1) >= T) = exp(-T) sum_{i<k} T^i / i!."""
    t = -sum(log_tails)
    return -t + math.log(sum(t**i / math.factorial(i) for i in range(len(log_tails))))


def _runs_a_week(job: JobHistory) -> float:
    """How often a week judges the job: its runs read, over the days read."""
    return max(1.0, (job.base_runs + len(job.recent_s)) * 7 / HISTORY_DAYS)


def job_duration_cleared(spec: AnomalySpec, job: JobHistory) -> bool:
    """Back under half the way to the factor for `min_consecutive` runs, as latency."""
    if job.base_log_q is None or len(job.recent_s) < spec.min_consecutive:
        return False
    usable = job.hour_log_q is not None and job.hour_runs >= spec.min_runs
    centre = (job.hour_log_q if usable else job.base_log_q)[1]  # type: ignore[index]
    limit = math.exp(centre) * (1 + (spec.latency_factor - 1) / 2)
    return all(s <= limit for s in job.recent_s[-spec.min_consecutive :])


class Workload(Struct, kw_only=True, frozen=True):
    """What is usual for a job's runs in 24 hours, and how sure that is."""

    expected: float
    # How much a day's runs vary beyond a Poisson's, as a standard deviation of ln runs:
    # busy and quiet days are a factor apart (a queue worker's twice-as-busy day is
    # as likely as its half-as-busy one), while the Poisson part is judged on square
    # roots, where it is even at any count (see workload_z).
    log_sd: float
    # Days the usual value is the median of.
    compared: int
    # How much sqrt(runs) varies from day to day by count alone: a Poisson's 0.5, or
    # down to half of that for a schedule whose days hardly differ.
    count_sd: float = 0.5
    seasonality: Seasonality
    # The fewest and most runs of the days compared, when young (under
    # WORKLOAD_WEEKS of history): a count seen before is not judged odd.
    seen: tuple[int, int] | None = None


def _log_runs(count: float) -> float:
    return math.log(count + 0.5)


def workload_baseline(job: JobHistory) -> Workload | None:
    """The same 24 hours of past weeks once WORKLOAD_WEEKS of them exist (a job that
    rests at weekends), else every past day; None before WORKLOAD_DAYS whole days.

    How much a day's count varies is read from every day, against its own weekday's
    once weeks exist: the three or four days compared alone said too little, and the
    queue workers whose few days happened to agree raised false anomalies."""
    days = job.runs_per_day
    if len(days) < WORKLOAD_DAYS:
        return None
    weekly = days[6::7]
    logs = [_log_runs(d) for d in days]
    if len(weekly) < WORKLOAD_WEEKS:
        # Too young to tell its weekdays apart: a weekend's rest must look usual.
        centre = _median(logs)
        varies = _robust_sd([v - centre for v in logs])
        roots = [math.sqrt(d) for d in days]
        root_varies = _robust_sd([v - _median(roots) for v in roots])
        seen: tuple[int, int] | None = (min(days), max(days))
    else:
        # Same-weekday days differ by sqrt 2 of a day's variation.
        groups = [logs[g::7] for g in range(7)]
        gaps = [a - b for g in groups for i, a in enumerate(g) for b in g[i + 1 :]]
        varies, seen = _robust_sd(gaps) / math.sqrt(2), None
        roots = [[math.sqrt(d) for d in days[g::7]] for g in range(7)]
        root_gaps = [a - b for g in roots for i, a in enumerate(g) for b in g[i + 1 :]]
        root_varies = _robust_sd(root_gaps) / math.sqrt(2)
    chosen, kind = (weekly, "hour_of_week") if seen is None else (days, "daily")
    expected = _median(chosen)
    # What a Poisson count varies by is in the variation seen: the rest is the days'.
    beyond = math.sqrt(max(0.0, varies**2 - 1 / (expected + 0.5)))
    return Workload(
        expected=expected,
        log_sd=beyond,
        compared=len(chosen),
        count_sd=min(0.5, max(0.25, root_varies)),
        seasonality=kind,  # type: ignore[arg-type]
        seen=seen,
    )


def _robust_sd(deviations: Sequence[float]) -> float:
    """A standard deviation that one odd day cannot inflate, yet steadier than a MAD
    alone (whose misses were the jobs with false anomalies): the root mean square of
    the deviations clipped at 3 MAD-sigmas, or that MAD-sigma when larger."""
    if not deviations:
        return 0.0
    mad_sd = 1.4826 * _median([abs(v) for v in deviations])
    clip = 3 * mad_sd
    rms = math.sqrt(sum(min(abs(v), clip) ** 2 for v in deviations) / len(deviations))
    return max(mad_sd, rms)


def workload_z(usual: Workload, runs: int) -> float:
    """How many standard deviations `runs` stands from the usual: the count's own noise
    on square roots (where a Poisson's is 0.5 at any count, low ones too; a schedule's
    less, see Workload.count_sd), the days' variation beyond it on logs, their
    variances added; the usual value, a median of `compared` days, is uncertain too."""
    poisson = abs(math.sqrt(runs) - math.sqrt(usual.expected)) / usual.count_sd
    days = abs(_log_runs(runs) - _log_runs(usual.expected)) / max(usual.log_sd, 1e-9)
    if poisson == 0 or days == 0:
        return 0.0
    z = 1 / math.sqrt(1 / poisson**2 + 1 / days**2)
    return z / math.sqrt(1 + MEDIAN_SE**2 / usual.compared)


def job_workload(spec: AnomalySpec, job: JobHistory) -> Finding | None:
    """Runs in the last 24 hours far from the usual, either way: `latency_factor` times
    more or fewer, by at least MIN_RUN_CHANGE runs and Z_WORKLOAD of the usual variation."""
    usual = workload_baseline(job)
    if not spec.enabled or usual is None or usual.expected <= 0:
        return None
    now, expected = job.runs_today, usual.expected
    ratio = now / expected
    if 1 / spec.latency_factor < ratio < spec.latency_factor:
        return None
    if abs(now - expected) < MIN_RUN_CHANGE:
        return None
    if workload_z(usual, now) < Z_WORKLOAD:
        return None
    if usual.seen is not None and usual.seen[0] <= now <= usual.seen[1]:
        return None
    return Finding(
        metric="job_runs",
        current=float(now),
        baseline=round(expected, 3),
        severity=severity_of_ratio(max(ratio, 1 / ratio) if ratio > 0 else math.inf),
        deviation=round(ratio, 3),
        seasonality=usual.seasonality,
    )


def job_workload_cleared(spec: AnomalySpec, job: JobHistory) -> bool:
    """Within half the way to the factor, either way."""
    usual = workload_baseline(job)
    if usual is None or usual.expected <= 0:
        return False
    half = 1 + (spec.latency_factor - 1) / 2
    return 1 / half <= job.runs_today / usual.expected <= half


JOB_DETECTORS = (
    ("job_duration", job_duration, job_duration_cleared),
    ("job_runs", job_workload, job_workload_cleared),
)


def judge_job(
    spec: AnomalySpec, job: JobHistory, open_metrics: frozenset[str] = frozenset()
) -> Verdict:
    """The job detectors for one job monitor, as `judge` for a monitor and region."""
    if not spec.enabled:
        return Verdict(detected=[], cleared=[], baseline=None)
    detected: list[Finding] = []
    gone: list[Metric] = []
    for metric, detect, is_cleared in JOB_DETECTORS:
        if metric in open_metrics:
            if is_cleared(spec, job):
                gone.append(metric)  # type: ignore[arg-type]
        elif found := detect(spec, job):
            detected.append(found)
    return Verdict(detected=detected, cleared=gone, baseline=None)
