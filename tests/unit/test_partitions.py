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


def _entry(key, value, revision, at, op=None):
    from nats.js.kv import KeyValue

    return KeyValue.Entry("b", key, value, revision, 0, at, op)


def test_leases_older_than_the_ttl_by_the_servers_clock_are_not_live():
    from datetime import UTC, datetime, timedelta

    from services.scheduler.leases import live

    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    values = {"p1": (b"a", t0), "p2": (b"b", t0 + timedelta(seconds=2))}
    assert live(values, t0 + timedelta(seconds=4), 3.0) == {"p2": b"b"}
    assert live(values, t0 + timedelta(seconds=2), 3.0) == {"p1": b"a", "p2": b"b"}
    assert live(values, None, 3.0) == {"p1": b"a", "p2": b"b"}


def test_bucket_view_forgets_deleted_keys_and_follows_the_newest_write():
    from datetime import UTC, datetime, timedelta

    from services.scheduler.leases import BucketView

    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    view = BucketView(kv=None, ttl_s=3.0)
    view.apply(_entry("p1", b"a", 1, t0))
    view.apply(_entry("member.a", b"a", 2, t0 + timedelta(seconds=1)))
    view.apply(_entry("p1", b"", 3, t0 + timedelta(seconds=1), op="DEL"))
    assert view.entries() == {"member.a": b"a"}
    assert view.revision == 3 and view.server_now == t0 + timedelta(seconds=1)
    view.apply(_entry("member.b", b"b", 4, t0 + timedelta(seconds=5)))
    assert view.entries() == {"member.b": b"b"}
