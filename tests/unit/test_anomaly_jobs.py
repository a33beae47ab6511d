"""The job detectors on crafted run histories: durations that regress, runs per day far
from the usual, each firing where it should and not elsewhere, with warm-up."""

from __future__ import annotations

import math

import msgspec
import pytest

from shared import analysis, anomaly, anomaly_data
from shared.anomaly import JOB_REGION, AnomalySpec, JobHistory

SPEC = AnomalySpec()


def timed(recent: list[float], usual: float = 60.0, spread: float = 0.1, runs: int = 50):
    """A job whose past `runs` took `usual` seconds with log-normal `spread`."""
    q = (math.log(usual) - 0.6745 * spread, math.log(usual), math.log(usual) + 0.6745 * spread)
    return JobHistory(recent_s=recent, base_runs=runs, base_log_q=q)


def test_three_runs_twice_as_long_as_usual_are_a_medium_duration_regression():
    found = anomaly.job_duration(SPEC, timed([120.0, 118.0, 125.0]))
    assert found is not None
    assert (found.metric, found.current, found.baseline, found.severity) == (
        "job_duration",
        125.0,
        60.0,
        "medium",
    )
    assert found.deviation == pytest.approx(125 / 60, abs=1e-3)
    assert found.seasonality == "rolling"


@pytest.mark.parametrize(
    ("seconds", "severity"),
    [(100.0, "low"), (150.0, "medium"), (200.0, "high"), (400.0, "critical")],
)
def test_duration_severity_grows_with_the_ratio(seconds, severity):
    assert anomaly.job_duration(SPEC, timed([seconds] * 3)).severity == severity


def test_usual_durations_and_rises_under_the_factor_do_not_fire():
    assert anomaly.job_duration(SPEC, timed([61.0, 59.0, 62.0])) is None
    assert anomaly.job_duration(SPEC, timed([85.0, 88.0, 86.0])) is None  # x1.45


def test_one_fast_run_among_the_newest_keeps_the_duration_quiet():
    assert anomaly.job_duration(SPEC, timed([120.0, 61.0, 130.0])) is None
    assert anomaly.job_duration(AnomalySpec(min_consecutive=1), timed([120.0, 61.0, 130.0]))


def test_a_job_whose_durations_vary_a_lot_needs_a_larger_rise():
    # sigma 0.5: three runs at x2 (1.4 sigma each) are quite likely; at x4 they are not.
    assert anomaly.job_duration(SPEC, timed([120.0] * 3, spread=0.5)) is None
    assert anomaly.job_duration(SPEC, timed([240.0] * 3, spread=0.5)) is not None


def test_one_very_slow_run_cannot_carry_its_slightly_slow_neighbours():
    # 1.5 sigma, 6.3 sigma (counted as JOB_Z_CAP, 3), 1.5 sigma: not unlikely enough.
    assert anomaly.job_duration(SPEC, timed([95.0, 400.0, 95.0], spread=0.3)) is None
    assert anomaly.job_duration(SPEC, timed([200.0, 400.0, 200.0], spread=0.3)) is not None


def test_a_noisy_job_slowed_for_good_is_found_once_enough_slow_runs_pile_up():
    # sigma 0.4: three runs at x2 are 1.7 sigma each, too likely; six in a row are not.
    assert anomaly.job_duration(SPEC, timed([60.0] * 7 + [120.0] * 3, spread=0.4)) is None
    found = anomaly.job_duration(SPEC, timed([60.0] * 4 + [120.0] * 6, spread=0.4))
    assert found is not None and found.current == 120.0
    # Only the newest JOB_RECENT runs are read, and the streak ends at the first usual one.
    assert anomaly.job_duration(SPEC, timed([120.0] * 5 + [60.0] + [120.0] * 4, spread=0.4)) is None


# A job run every 10 minutes: 4,166 runs in 29 days, judged 1,008 times a week.
EVERY_10_MIN = 4166


def test_a_single_slow_run_is_judged_alone_only_when_it_is_very_unlikely():
    one = AnomalySpec(min_consecutive=1)
    assert anomaly.job_duration(one, timed([120.0], spread=0.2, runs=EVERY_10_MIN)) is None
    assert anomaly.job_duration(one, timed([240.0], spread=0.2, runs=EVERY_10_MIN)) is not None


def test_a_job_judged_after_every_run_needs_a_longer_streak_than_a_rare_one():
    # sigma 0.3, x2: three runs are enough for a job that ran 60 times in the days
    # read; one judged 1,008 times a week needs five.
    slow = [60.0] * 5
    assert anomaly.job_duration(SPEC, timed(slow + [120.0] * 3, spread=0.3, runs=60))
    frequent = [timed(slow + [120.0] * k, spread=0.3, runs=EVERY_10_MIN) for k in (3, 4, 5)]
    assert [anomaly.job_duration(SPEC, job) is not None for job in frequent] == [
        False,
        False,
        True,
    ]


def test_a_streak_of_modest_runs_is_weighed_as_one_streak_not_as_the_product_of_its_runs():
    # Four runs 2 sigma out each multiply to the tail of one run at 5 sigma; as a
    # streak of four (Fisher's method) they are nothing like as unlikely.
    modest = 60.0 * math.exp(2 * 0.3)
    job = timed([60.0] * 6 + [modest] * 4, spread=0.3, runs=EVERY_10_MIN)
    assert anomaly.job_duration(SPEC, job) is None


def test_runs_at_this_time_of_day_are_the_usual_once_there_are_enough_of_them():
    # Night runs take 150 s, the day's 60 s: three night runs at 160 s are usual.
    night = timed([], usual=150.0)
    job = msgspec.structs.replace(
        timed([160.0] * 3),
        hour_runs=SPEC.min_runs,
        hour_log_q=night.base_log_q,
    )
    assert anomaly.job_duration(SPEC, job) is None
    assert anomaly.job_duration_cleared(SPEC, job)
    slow = anomaly.job_duration(SPEC, msgspec.structs.replace(job, recent_s=[400.0] * 3))
    assert slow is not None and slow.baseline == 150.0 and slow.seasonality == "daily"
    # Too few of them: the whole history is the usual, and 160 s is slow.
    few = msgspec.structs.replace(job, hour_runs=SPEC.min_runs - 1)
    assert anomaly.job_duration(SPEC, few).seasonality == "rolling"


def test_no_duration_verdict_in_warm_up_with_too_few_new_runs_or_disabled():
    assert anomaly.job_duration(SPEC, timed([300.0] * 3, runs=SPEC.min_runs - 1)) is None
    assert anomaly.job_duration(SPEC, timed([300.0] * 2)) is None
    assert anomaly.job_duration(AnomalySpec(enabled=False), timed([300.0] * 3)) is None
    assert anomaly.job_duration(SPEC, JobHistory(recent_s=[300.0] * 3, base_runs=50)) is None
    assert anomaly.job_duration(AnomalySpec(min_runs=3), timed([300.0] * 3, runs=3)) is not None


def test_a_job_that_always_takes_the_same_time_still_needs_the_factor():
    steady = timed([80.0, 80.0, 80.0], spread=0.0)  # x1.33 over a spread floored at 0.05
    assert anomaly.job_duration(SPEC, steady) is None
    assert anomaly.job_duration(SPEC, timed([95.0] * 3, spread=0.0)) is not None


def test_duration_clears_once_the_newest_runs_are_back_under_half_way():
    assert anomaly.job_duration_cleared(SPEC, timed([70.0, 72.0, 74.0]))
    assert not anomaly.job_duration_cleared(SPEC, timed([70.0, 72.0, 80.0]))  # over 75
    assert not anomaly.job_duration_cleared(SPEC, timed([70.0]))
    assert not anomaly.job_duration_cleared(SPEC, JobHistory(recent_s=[60.0] * 3))


def daily(today: int, days: list[int]) -> JobHistory:
    return JobHistory(runs_today=today, runs_per_day=days)


EVERY_MINUTE = [1440, 1438, 1441, 1440, 1437, 1440, 1439, 1440]


def test_a_queue_worker_running_half_as_often_as_usual_is_a_workload_anomaly():
    found = anomaly.job_workload(SPEC, daily(700, EVERY_MINUTE))
    assert found is not None
    assert (found.metric, found.current, found.baseline) == ("job_runs", 700.0, 1440.0)
    assert found.deviation == pytest.approx(700 / 1440, abs=1e-3)
    assert (found.severity, found.seasonality) == ("medium", "daily")


def test_far_more_runs_than_usual_is_a_workload_anomaly_too():
    found = anomaly.job_workload(SPEC, daily(48, [12, 12, 12, 13, 12, 11, 12]))
    assert found is not None and found.deviation == 4.0 and found.severity == "high"


def test_a_job_that_stopped_running_is_critical():
    found = anomaly.job_workload(SPEC, daily(0, EVERY_MINUTE))
    assert found is not None and found.severity == "critical" and found.deviation == 0


def test_usual_variation_does_not_fire():
    assert anomaly.job_workload(SPEC, daily(1300, EVERY_MINUTE)) is None  # x0.9
    # Poisson-like noise: 30 against a usual 20 is x1.5 but only 2.2 sigma.
    assert anomaly.job_workload(SPEC, daily(30, [20, 18, 22, 19, 21, 20, 23])) is None
    # Fewer than MIN_RUN_CHANGE runs apart: a daily job that ran twice.
    assert anomaly.job_workload(SPEC, daily(2, [1, 1, 1, 1, 1, 1, 1])) is None


def test_a_job_whose_daily_counts_vary_widely_needs_a_larger_change():
    bursty = [100, 40, 180, 60, 150, 90, 120]
    assert anomaly.job_workload(SPEC, daily(220, bursty)) is None
    assert anomaly.job_workload(SPEC, daily(3000, bursty)) is not None


def test_no_workload_verdict_before_a_week_of_whole_days():
    assert anomaly.job_workload(SPEC, daily(0, EVERY_MINUTE[:6])) is None
    assert anomaly.job_workload(SPEC, daily(0, EVERY_MINUTE[:7])) is not None
    assert anomaly.job_workload(SPEC, daily(10, [0] * 10)) is None  # never ran: no usual
    assert anomaly.job_workload(AnomalySpec(enabled=False), daily(0, EVERY_MINUTE)) is None


def test_a_weekday_job_is_compared_with_the_same_day_of_past_weeks():
    # Runs 1440 a day on weekdays and none at weekends; today is a Saturday.
    week = [1440, 1440, 1440, 1440, 0, 0, 1440]  # 1..7 days ago: Fri..Mon, Sun, Sat, Fri
    weeks = [1440, 1440, 1440, 1440, 1440, 0, 0] * 3 + [1440, 1440, 1440, 1440, 1440, 0, 0]
    # With 4 weeks of history: days 7, 14, 21 and 28 ago were Saturdays (index 6 of each).
    saturday = anomaly.workload_baseline(daily(0, weeks))
    assert saturday is not None and saturday.seasonality == "hour_of_week"
    assert saturday.expected == 0
    assert anomaly.job_workload(SPEC, daily(0, weeks)) is None
    assert anomaly.job_workload(SPEC, daily(1440, weeks)) is None  # usual 0: no ratio
    # With one week only, the usual is every day's median: a quiet Saturday looks odd.
    assert anomaly.workload_baseline(daily(0, week)).seasonality == "daily"


def test_workload_clears_within_half_way_to_the_factor_either_way():
    assert anomaly.job_workload_cleared(SPEC, daily(1300, EVERY_MINUTE))
    assert anomaly.job_workload_cleared(SPEC, daily(1700, EVERY_MINUTE))
    assert not anomaly.job_workload_cleared(SPEC, daily(1100, EVERY_MINUTE))
    assert not anomaly.job_workload_cleared(SPEC, daily(1900, EVERY_MINUTE))
    assert not anomaly.job_workload_cleared(SPEC, daily(1300, EVERY_MINUTE[:3]))


def test_judge_job_opens_both_and_clears_an_open_one_without_firing_it_again():
    slow_and_idle = JobHistory(
        recent_s=[150.0] * 3,
        base_runs=50,
        base_log_q=timed([]).base_log_q,
        runs_today=0,
        runs_per_day=EVERY_MINUTE,
    )
    verdict = anomaly.judge_job(SPEC, slow_and_idle)
    assert [f.metric for f in verdict.detected] == ["job_duration", "job_runs"]
    still = anomaly.judge_job(SPEC, slow_and_idle, frozenset({"job_duration", "job_runs"}))
    assert still.detected == [] and still.cleared == []
    back = JobHistory(
        recent_s=[60.0] * 3,
        base_runs=50,
        base_log_q=timed([]).base_log_q,
        runs_today=1440,
        runs_per_day=EVERY_MINUTE,
    )
    over = anomaly.judge_job(SPEC, back, frozenset({"job_duration", "job_runs"}))
    assert over.cleared == ["job_duration", "job_runs"] and over.detected == []
    assert anomaly.judge_job(AnomalySpec(enabled=False), slow_and_idle).detected == []


def test_judge_key_sends_a_jobs_key_to_the_job_detectors_and_others_to_latency():
    inputs = anomaly_data.Inputs()
    inputs.jobs["m"] = daily(0, EVERY_MINUTE)
    assert [f.metric for f in anomaly_data.judge_key(SPEC, inputs, "m", JOB_REGION).detected] == [
        "job_runs"
    ]
    assert anomaly_data.judge_key(SPEC, inputs, "m", "eu").detected == []
    # A job whose runs are no longer read: nothing fires, nothing clears.
    gone = anomaly_data.judge_key(SPEC, inputs, "x", JOB_REGION, frozenset({"job_runs"}))
    assert gone.detected == [] and gone.cleared == []


def test_analysis_warns_of_missed_runs_and_of_jobs_still_warming_up():
    m = analysis.Analysed(id="m", name="backup", spec=SPEC)
    assert analysis.job_warnings(m, JobHistory(missed_today=2, base_runs=3)) == [
        "backup: 2 missed expected runs in the last 24 h",
        "backup (runs): warming up, 3 of 10 runs",
    ]
    assert analysis.job_warnings(m, JobHistory(base_runs=10)) == []


# A queue worker's month: some 200 runs a day, busier and quieter days (about 15%).
QUEUE_DAYS = [
    round(200 * math.exp(0.15 * math.sin(1.7 * d) + 0.05 * math.cos(5.1 * d))) for d in range(28)
]


def test_a_busy_day_of_a_queue_worker_does_not_fire_but_three_times_its_runs_does():
    assert anomaly.job_workload(SPEC, daily(300, QUEUE_DAYS)) is None  # x1.5: its busy days
    found = anomaly.job_workload(SPEC, daily(650, QUEUE_DAYS))
    assert found is not None and found.severity == "high"


def test_a_queue_worker_that_halved_fires_once_the_whole_day_shows_it():
    assert anomaly.job_workload(SPEC, daily(100, QUEUE_DAYS)) is not None
    assert anomaly.job_workload(SPEC, daily(140, QUEUE_DAYS)) is None  # x0.7: not yet


def test_the_days_variation_is_read_from_every_day_not_only_the_few_compared():
    # The four compared days (7, 14, 21 and 28 ago) happen to agree; the rest do not.
    days = [200 + (60 if d % 2 else -60) for d in range(28)]
    for d in (6, 13, 20, 27):
        days[d] = 200
    usual = anomaly.workload_baseline(daily(0, days))
    assert usual is not None and usual.compared == 4 and usual.log_sd > 0.2
    assert anomaly.job_workload(SPEC, daily(320, days)) is None


def test_few_runs_are_judged_as_counts_not_as_ratios():
    # A job that runs about 8 times a day, some days 4 and some 12: 2 runs is x0.25 but
    # within what such a count can read by chance; none at all is not.
    varying = [8, 5, 11, 7, 9, 6, 10, 12, 4, 8, 9, 7, 10, 6] * 2
    assert anomaly.job_workload(SPEC, daily(2, varying)) is None
    assert anomaly.job_workload(SPEC, daily(0, varying)) is not None


def test_a_schedule_whose_days_never_differ_is_held_to_its_regularity():
    # Exactly 8 runs every day for four weeks: 2 is an anomaly, 4 (x0.5) is not yet.
    eight = [8] * 28
    assert anomaly.workload_baseline(daily(0, eight)).count_sd == 0.25
    assert anomaly.job_workload(SPEC, daily(2, eight)) is not None
    assert anomaly.job_workload(SPEC, daily(4, eight)) is None
    varying = [8, 5, 11, 7, 9, 6, 10, 12, 4, 8, 9, 7, 10, 6] * 2
    assert anomaly.workload_baseline(daily(0, varying)).count_sd > 0.3


def test_a_young_job_resting_at_weekends_is_not_odd_on_its_third_weekend():
    # Two weeks and a bit of history, weekdays only: too few weeks to compare weekdays.
    days = [24, 24, 24, 24, 0, 0, 24, 24, 24, 24, 24, 0, 0, 24, 24, 24]
    assert anomaly.workload_baseline(daily(0, days)).seasonality == "daily"
    assert anomaly.job_workload(SPEC, daily(0, days)) is None
    # Once three weeks exist, a weekday with no runs is an anomaly.
    weeks = [24, 24, 24, 24, 0, 0, 24] * 3 + [24, 24]
    assert anomaly.job_workload(SPEC, daily(0, weeks)) is not None
