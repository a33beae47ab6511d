from collections import Counter

from services.scheduler.leases import fair_share, partition_of


def test_partition_is_stable_and_in_range():
    assert partition_of("m1", 64) == partition_of("m1", 64)
    assert all(0 <= partition_of(f"m{i}", 64) < 64 for i in range(1000))


def test_monitors_spread_evenly_over_partitions():
    counts = Counter(partition_of(f"monitor-{i}", 64) for i in range(64_000))
    assert len(counts) == 64 and max(counts.values()) < 1.2 * min(counts.values())


def test_fair_share_covers_every_partition():
    assert [fair_share(64, n) for n in (1, 2, 3, 5)] == [64, 32, 22, 13]
    assert fair_share(64, 0) == 64
