"""What one operations sample stores: gauges always, rates against the previous one."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.opsamples import ConsumerPoint, ReplicaPoint, Snapshot, bucket, rows

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
