"""What one operations sample stores: gauges always, rates against the previous one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared.opsamples import (
    RESERVOIR,
    ConsumerPoint,
    Observed,
    ReplicaPoint,
    Snapshot,
    bucket,
    percentile,
    rows,
)

T = 1_700_000_005.0  # 5 s into a 10 s bucket


def snap(at: float, last_seq: int, floor: int, cpu: float, handled: int) -> Snapshot:
    return Snapshot(
        at=at,
        streams={"RESULTS": (last_seq, last_seq)},
        consumers={("RESULTS", "recorder"): ConsumerPoint(last_seq - floor, 2, 1, floor, 3.5)},
        replicas={("recorder", "r1"): ReplicaPoint(cpu, handled, 0)},
    )


def by_metric(found) -> dict[str, float]:
    return {metric: value for _, metric, _, _, value in found}


def test_the_first_sample_has_gauges_only_keyed_by_its_bucket():
    found = rows(None, snap(T, 100, 40, 1.0, 40))

    assert {r[0] for r in found} == {datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)}
    assert by_metric(found) == {
        "pending": 60.0,
        "ack_pending": 2.0,
        "redelivered": 1.0,
        "lag_s": 3.5,
        "messages": 100.0,
    }


def test_rates_come_from_the_difference_to_the_previous_sample():
    found = by_metric(rows(snap(T, 100, 40, 1.0, 40), snap(T + 10, 300, 140, 1.5, 140)))

    assert found["rate_in"] == 20.0 and found["rate_out"] == 10.0
    assert found["replica_cpu"] == 0.05 and found["replica_rate"] == 10.0


def test_a_restarted_counter_gives_no_negative_rate():
    found = by_metric(rows(snap(T, 100, 40, 5.0, 400), snap(T + 10, 100, 40, 0.2, 3)))

    assert found["replica_cpu"] == 0.0 and found["replica_rate"] == 0.0


def test_samples_inside_one_bucket_share_its_key():
    assert bucket(T) == bucket(T + 4.9) != bucket(T + 5.0)


def checked(lag_s: float, latency_ms: float | None, kind: str | None = None):
    from shared.events import CheckResult

    at = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    return CheckResult(
        check_id="m:1",
        monitor_id="m",
        region="eu",
        scheduled_at=at,
        checked_at=at + timedelta(seconds=lag_s),
        status="down" if kind else "up",
        latency_ms=latency_ms,
        error_kind=kind,
    )


def test_observed_results_give_p99s_counts_and_error_kinds_then_start_again():
    observed = Observed()
    results = [checked(0.1 + i / 1000, 50.0) for i in range(99)] + [checked(3.0, None, "timeout")]
    observed.observe(results, results[0].checked_at + timedelta(seconds=1))

    found = {(m, s): v for _, m, s, _, v in observed.drain(T, "r1")}

    assert found[("results_recorded", "")] == 100.0
    # Start lag: time to the result less the check's own duration; 99th of 100 values.
    assert found[("schedule_lag_p99_ms", "")] == 148.0
    assert found[("check_to_row_p99_ms", "")] == 999.0
    assert found[("errors", "timeout")] == 1.0
    assert observed.drain(T, "r1") == [(bucket(T), "results_recorded", "", "r1", 0.0)]


def test_the_reservoir_stays_bounded():
    observed = Observed()
    observed.observe([checked(0.5, 1.0)] * (RESERVOIR * 3), datetime(2024, 5, 1, 12, 1, tzinfo=UTC))
    assert len(observed.lag_ms) == RESERVOIR and observed.seen == RESERVOIR * 3


def test_percentile_picks_a_stored_value():
    assert percentile([], 0.99) is None
    assert percentile([5.0], 0.99) == 5.0
    assert percentile([float(i) for i in range(1, 101)], 0.99) == 99.0
