"""The anomaly detectors on crafted series: each fires where it should and not elsewhere."""

from __future__ import annotations

import math

import pytest

from shared import anomaly
from shared.anomaly import AnomalySpec, Baseline, HourStat, Window

SPEC = AnomalySpec()
BASE = Baseline(
    p50_ms=100.0,
    p95_ms=160.0,
    log_spread=0.2,
    samples=10_000,
    failure_rate=0.01,
    seasonality="hour_of_week",
)


def windows(p50: float, n: int = 10, count: int = 3, p95: float | None = None) -> list[Window]:
    return [Window(p50_ms=p50, p95_ms=p95, answered=n, checks=n) for _ in range(count)]


def test_latency_twice_the_baseline_for_three_windows_is_a_medium_anomaly():
    found = anomaly.latency(SPEC, BASE, windows(200.0))
    assert found is not None
    assert (found.metric, found.severity, found.current, found.baseline) == (
        "latency_p50",
        "medium",
        200.0,
        100.0,
    )


@pytest.mark.parametrize(
    ("p50", "severity"), [(160.0, "low"), (250.0, "medium"), (350.0, "high"), (900.0, "critical")]
)
def test_severity_grows_with_the_ratio_to_the_baseline(p50, severity):
    assert anomaly.latency(SPEC, BASE, windows(p50)).severity == severity


def test_latency_below_the_factor_never_fires():
    assert anomaly.latency(SPEC, BASE, windows(140.0)) is None


def test_a_rise_within_the_window_noise_does_not_fire_even_above_the_factor():
    noisy = Baseline(**{**_fields(BASE), "log_spread": 0.6})
    # 5 standard errors of a 10-check median at sigma 0.6 is x3.3: x2 is noise.
    assert anomaly.latency(SPEC, noisy, windows(200.0)) is None
    assert anomaly.latency(SPEC, noisy, windows(400.0)) is not None


def test_a_baseline_whose_hours_disagree_needs_a_larger_rise():
    unsure = Baseline(**{**_fields(BASE), "centre_spread": 0.2})
    assert anomaly.latency(SPEC, unsure, windows(200.0)) is None
    assert anomaly.latency(SPEC, unsure, windows(300.0)) is not None


def test_one_window_short_of_min_consecutive_does_not_fire():
    mixed = [*windows(100.0, count=1), *windows(200.0, count=2)]
    assert anomaly.latency(SPEC, BASE, mixed) is None
    assert anomaly.latency(AnomalySpec(min_consecutive=2), BASE, mixed) is not None


def test_no_verdict_during_warm_up_or_when_disabled_or_with_too_few_checks():
    young = Baseline(**{**_fields(BASE), "samples": SPEC.min_samples - 1})
    assert anomaly.latency(SPEC, young, windows(500.0)) is None
    assert anomaly.latency(AnomalySpec(enabled=False), BASE, windows(500.0)) is None
    assert anomaly.latency(SPEC, BASE, windows(500.0, n=anomaly.MIN_WINDOW_P50 - 1)) is None


def test_p95_is_judged_only_on_windows_with_enough_checks():
    few = windows(100.0, n=10, p95=900.0)
    many = windows(100.0, n=60, p95=900.0)
    assert anomaly.latency(SPEC, BASE, few, "latency_p95") is None
    found = anomaly.latency(SPEC, BASE, many, "latency_p95")
    assert found is not None and found.metric == "latency_p95" and found.baseline == 160.0


def test_latency_clears_only_below_half_way_to_the_factor_for_min_consecutive_windows():
    assert anomaly.cleared(SPEC, BASE, windows(120.0), "latency_p50")
    assert not anomaly.cleared(SPEC, BASE, windows(130.0), "latency_p50")
    assert not anomaly.cleared(
        SPEC, BASE, [*windows(100.0, count=2), *windows(200.0, count=1)], "latency_p50"
    )


def failures(failed: int, checks: int = 30) -> Window:
    return Window(p50_ms=None, p95_ms=None, answered=checks - failed, checks=checks)


def test_failure_rate_spike_fires_on_many_failures_and_names_the_points():
    found = anomaly.failure_rate(SPEC, BASE, failures(9))
    assert found is not None and found.metric == "failure_rate"
    assert found.deviation == pytest.approx(29.0) and found.severity == "high"


def test_failure_rate_needs_the_points_the_count_and_the_improbability():
    assert anomaly.failure_rate(SPEC, BASE, failures(2, checks=10)) is None  # under 3 failures
    assert anomaly.failure_rate(SPEC, BASE, failures(3, checks=300)) is None  # +0 points
    flaky = Baseline(**{**_fields(BASE), "failure_rate": 0.08})
    assert anomaly.failure_rate(SPEC, flaky, failures(4)) is None  # 13% vs 8%: likely
    assert anomaly.failure_cleared(SPEC, BASE, failures(0))
    assert not anomaly.failure_cleared(SPEC, BASE, failures(9))


def test_binomial_tail_matches_exact_sums():
    exact = sum(math.comb(10, i) * 0.1**i * 0.9 ** (10 - i) for i in range(3, 11))
    assert anomaly.binomial_tail(3, 10, 0.1) == pytest.approx(exact)
    assert anomaly.binomial_tail(0, 10, 0.1) == 1.0
    assert anomaly.binomial_tail(1, 10, 0.0) == 0.0


def hour(ago: int, p50: float, p95: float | None = None, checks: int = 60) -> HourStat:
    return HourStat(
        hours_ago=ago, p50_ms=p50, p95_ms=p95 or p50 * 1.5, answered=checks, checks=checks
    )


def test_baseline_uses_the_same_hour_of_past_weeks_once_three_weeks_exist():
    hours = [hour(168 * w, 200.0) for w in (1, 2, 3)] + [hour(24 * d, 50.0) for d in (1, 2, 3)]
    b = anomaly.baseline(hours)
    assert b.seasonality == "hour_of_week" and b.p50_ms == pytest.approx(200.0)
    assert b.samples == 6 * 60


def test_baseline_falls_back_to_past_days_then_to_the_last_day():
    daily = anomaly.baseline([hour(24 * d, 50.0 + d) for d in (1, 2, 3)])
    assert daily.seasonality == "daily" and daily.p50_ms == pytest.approx(52.0)
    rolling = anomaly.baseline([hour(h, 70.0) for h in (1, 2)])
    assert rolling.seasonality == "rolling" and rolling.p50_ms == pytest.approx(70.0)
    assert anomaly.baseline([]) is None


def test_baseline_failure_rate_reads_the_whole_history():
    hours = [hour(h, 80.0) for h in range(1, 25)]
    hours.append(HourStat(hours_ago=48, p50_ms=None, p95_ms=None, answered=0, checks=60))
    b = anomaly.baseline(hours)
    assert b.failure_rate == pytest.approx(60 / (25 * 60))


def test_change_names_the_trend_against_the_previous_period():
    assert anomaly.change(150.0, 100.0).trend == "increasing"
    assert anomaly.change(150.0, 100.0).change_pct == 50.0
    assert anomaly.change(80.0, 100.0).trend == "decreasing"
    assert anomaly.change(105.0, 100.0).trend == "stable"
    assert anomaly.change(None, 100.0).change is None


def _fields(b: Baseline) -> dict:
    return {f: getattr(b, f) for f in b.__struct_fields__}


def test_trimmed_log_mean_drops_the_slowest_and_fastest_fifth():
    spiky = [10.0] * 8 + [1000.0, 5000.0]
    assert anomaly.trimmed_log_mean(spiky) == pytest.approx(math.log(10.0))
    assert anomaly.trimmed_log_mean([20.0, 80.0]) == pytest.approx(math.log(40.0))
    assert anomaly.trimmed_log_mean([0.0, -1.0]) is None
    assert anomaly.trimmed_log_mean([]) is None


def test_a_window_judged_on_its_trimmed_mean_finds_x2_where_its_median_cannot():
    noisy = Baseline(**{**_fields(BASE), "log_spread": 0.35})
    by_median = windows(200.0)
    by_mean = [
        Window(p50_ms=200.0, p95_ms=None, answered=10, checks=10, log_mean=math.log(200.0))
        for _ in range(3)
    ]
    # 5 standard errors of ten checks at sigma 0.35: x2.0 for the median, x1.8 for the mean.
    assert anomaly.latency(SPEC, noisy, by_median) is None
    found = anomaly.latency(SPEC, noisy, by_mean)
    assert found is not None and found.current == pytest.approx(200.0)


def test_slow_checks_in_a_window_do_not_make_its_trimmed_mean_an_anomaly():
    spiky = [30.0] * 2 + [100.0] * 6 + [2000.0, 3000.0]
    w = Window(
        p50_ms=100.0,
        p95_ms=None,
        answered=10,
        checks=10,
        log_mean=anomaly.trimmed_log_mean(spiky),
    )
    assert anomaly.latency(SPEC, BASE, [w] * 3) is None
    assert anomaly.cleared(SPEC, BASE, [w] * 3, "latency_p50")


def test_two_spikes_in_a_window_short_of_a_check_do_not_lift_a_steady_monitor():
    # Nine answered checks lose one to each end of the trim: one spike stays in the
    # mean, lifting it over x1.5, while the median says the checks are usual.
    spiky = [110.0] * 7 + [1200.0, 1400.0]
    w = Window(
        p50_ms=110.0, p95_ms=None, answered=9, checks=10, log_mean=anomaly.trimmed_log_mean(spiky)
    )
    assert w.log_mean - math.log(BASE.p50_ms) > math.log(SPEC.latency_factor)
    assert anomaly.latency(SPEC, BASE, [w] * 3) is None
    slow = Window(**{**{f: getattr(w, f) for f in w.__struct_fields__}, "p50_ms": 160.0})
    assert anomaly.latency(SPEC, BASE, [slow] * 3) is not None


def test_the_baseline_spread_reads_every_hour_when_the_compared_ones_look_calm():
    calm = [hour(168 * w, 100.0, 110.0) for w in (1, 2, 3)]
    noisy_days = [hour(h, 100.0, 250.0) for h in range(1, 25)]
    b = anomaly.baseline(calm + noisy_days)
    assert b.seasonality == "hour_of_week"
    assert b.log_spread == pytest.approx(math.log(2.5) / 1.645)
    # With no other hours read, the compared ones alone (floored).
    assert anomaly.baseline(calm).log_spread == pytest.approx(
        max(anomaly.MIN_LOG_SPREAD, math.log(1.1) / 1.645)
    )


def same_hour_days(log_p50_of, days: int = 28, checks: int = 60) -> list[HourStat]:
    """The same hour on each of `days` past days, its median from log_p50_of(days ago)."""
    return [
        hour(24 * d, math.exp(log_p50_of(d)), math.exp(log_p50_of(d) + 0.3), checks)
        for d in range(1, days + 1)
    ]


def test_the_weekly_baseline_follows_a_monitor_whose_latency_creeps_up():
    # 0.2 in log over a month, so the weeks compared are 4% to 17% faster than now.
    creeping = anomaly.baseline(same_hour_days(lambda d: math.log(100.0) - 0.2 * d / 30))
    assert creeping.seasonality == "hour_of_week"
    assert creeping.p50_ms == pytest.approx(100.0, rel=0.01)
    # The plain median of those weeks would have been about 10% low.
    weeks = [100.0 * math.exp(-0.2 * 7 * w / 30) for w in (1, 2, 3, 4)]
    assert anomaly._median(weeks) < 91.0


def test_a_weekly_cycle_is_not_taken_for_a_drift():
    # Quieter weekends (days 6 and 7 ago, 13 and 14 ago...), no drift: today is a Sunday.
    def weekend(d: int) -> float:
        return math.log(100.0) - (0.3 if d % 7 in (0, 6) else 0.0)

    b = anomaly.baseline(same_hour_days(weekend))
    assert b.p50_ms == pytest.approx(100.0 * math.exp(-0.3), rel=1e-6)


def test_the_baseline_is_never_surer_than_its_hours_checks_allow():
    # Every day exactly alike: the centre's uncertainty is still that of medians of
    # 60 checks at the monitor's per-check spread, not zero.
    b = anomaly.baseline(same_hour_days(lambda d: math.log(100.0)))
    per_hour = anomaly.MEDIAN_SE * b.log_spread / math.sqrt(60)
    assert b.centre_spread >= anomaly.MEDIAN_SE * per_hour / 2


def test_the_baseline_uncertainty_grows_with_how_much_the_days_disagree():
    calm = anomaly.baseline(same_hour_days(lambda d: math.log(100.0) + 0.01 * math.sin(2.3 * d)))
    noisy = anomaly.baseline(same_hour_days(lambda d: math.log(100.0) + 0.3 * math.sin(2.3 * d)))
    assert noisy.centre_spread > 2 * calm.centre_spread
    assert anomaly.latency(SPEC, noisy, trimmed_windows(200.0)) is None
    assert anomaly.latency(SPEC, calm, trimmed_windows(200.0)) is not None


def test_a_weekly_centre_the_last_week_disagrees_with_is_less_sure():
    # The same hour of past weeks at 100 ms, of the last six days 20% slower.
    steady = anomaly.baseline(same_hour_days(lambda d: math.log(100.0)))
    odd = anomaly.baseline(same_hour_days(lambda d: math.log(100.0) + (0.2 if d < 7 else 0.0)))
    assert odd.p50_ms == pytest.approx(steady.p50_ms)
    assert odd.centre_spread >= 0.2 / 2
    assert anomaly.latency(SPEC, steady, trimmed_windows(160.0)) is not None
    assert anomaly.latency(SPEC, odd, trimmed_windows(160.0)) is None


def trimmed_windows(ms: float, n: int = 10) -> list[Window]:
    return [
        Window(p50_ms=ms, p95_ms=None, answered=n, checks=n, log_mean=math.log(ms))
        for _ in range(3)
    ]


def test_a_x2_step_of_a_noisy_monitor_fires_within_its_ten_checks_and_x1_7_does_not():
    # sigma 0.4: ten checks' trimmed mean has a standard error of 0.135 in log terms;
    # x2 is 5.1 of them out (over the bar), x1.7 is 3.9 (under it).
    noisy = Baseline(**{**_fields(BASE), "log_spread": 0.4, "centre_spread": 0.02})
    assert anomaly.latency(SPEC, noisy, trimmed_windows(200.0)) is not None
    assert anomaly.latency(SPEC, noisy, trimmed_windows(170.0)) is None
