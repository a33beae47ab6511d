from datetime import UTC, datetime

from services.scheduler.plan import Plan
from services.scheduler.slots import check_id, phase_s, slot_at, slot_time
from shared.monitors import Monitor

NOW = 1_800_000_000.0


def monitor(mid: str = "m1", interval: int = 60, version: int = 1, **kw) -> Monitor:
    at = datetime.fromtimestamp(NOW, UTC)
    return Monitor(
        id=mid,
        name=mid,
        kind="http",
        target="http://127.0.0.1/",
        interval_s=interval,
        timeout_s=1.0,
        version=version,
        created_at=at,
        updated_at=at,
        **kw,
    )


def test_phase_is_stable_and_inside_the_interval():
    assert phase_s("abc", 60) == phase_s("abc", 60)
    assert all(0 <= phase_s(f"m{i}", 60) < 60 for i in range(1000))


def test_phases_spread_monitors_over_the_interval():
    seconds = {int(phase_s(f"monitor-{i}", 60)) for i in range(10_000)}
    assert len(seconds) == 60


def test_slot_time_and_slot_at_are_inverse():
    phase = phase_s("m", 30)
    for slot in (0, 1, 59_999_999):
        assert slot_at(slot_time(slot, 30, phase), 30, phase) == slot
        assert slot_at(slot_time(slot, 30, phase) - 0.001, 30, phase) == slot - 1


def test_check_id_is_deterministic():
    assert check_id("m1", 7) == "m1:7" == check_id("m1", 7)


def test_new_monitor_is_due_at_once_then_every_interval():
    plan = Plan()
    plan.upsert(monitor(interval=10), NOW)
    first = plan.pop_due(NOW)
    assert len(first) == 1 and first[0].scheduled_at <= NOW
    assert first[0].deadline == first[0].scheduled_at + 10
    assert plan.pop_due(NOW) == []
    assert plan.next_at() == first[0].scheduled_at + 10
    second = plan.pop_due(first[0].scheduled_at + 10)
    assert [d.slot for d in second] == [first[0].slot + 1]


def test_older_version_is_ignored_and_newer_replaces():
    plan = Plan()
    plan.upsert(monitor(version=2, interval=10), NOW)
    assert not plan.upsert(monitor(version=1, interval=99), NOW)
    assert plan.get("m1").interval_s == 10
    assert plan.upsert(monitor(version=3, interval=20), NOW)
    assert plan.get("m1").interval_s == 20


def test_paused_and_deleted_monitors_are_not_scheduled():
    plan = Plan()
    plan.upsert(monitor("a"), NOW)
    plan.upsert(monitor("b"), NOW)
    plan.upsert(monitor("a", version=2, paused=True), NOW)
    plan.remove("b", 1)
    assert plan.pop_due(NOW + 3600) == []
    # A late, older event must not revive a deleted monitor.
    assert not plan.upsert(monitor("b", version=1), NOW)


def test_a_stalled_scheduler_issues_every_slot_it_missed_so_none_is_silently_lost():
    plan = Plan()
    plan.upsert(monitor(interval=10), NOW)
    first = plan.pop_due(NOW)[0]
    due = plan.pop_due(NOW + 100)
    assert [d.slot for d in due] == list(range(first.slot + 1, first.slot + 11))


def test_catch_up_after_a_long_stall_is_bounded():
    plan = Plan()
    plan.upsert(monitor(interval=1), NOW)
    plan.pop_due(NOW)
    due = plan.pop_due(NOW + 10_000)
    assert 100 <= len(due) <= 102 and due[-1].scheduled_at > NOW + 9_998


def test_a_failing_monitor_is_checked_at_its_retry_interval_until_it_recovers():
    plan = Plan()
    plan.upsert(monitor(interval=60, retry_interval_s=10), NOW)
    first = plan.pop_due(NOW)[0]
    plan.set_failing("m1", True, first.scheduled_at + 1)
    fast = plan.pop_due(first.scheduled_at + 11)
    assert len(fast) == 1 and fast[0].deadline - fast[0].scheduled_at == 10
    assert fast[0].scheduled_at - first.scheduled_at <= 11
    plan.set_failing("m1", False, fast[0].scheduled_at)
    slow = plan.pop_due(fast[0].scheduled_at + 61)
    assert len(slow) == 1 and slow[0].deadline - slow[0].scheduled_at == 60


def test_without_a_retry_interval_failing_changes_nothing():
    plan = Plan()
    plan.upsert(monitor(interval=60), NOW)
    due = plan.pop_due(NOW)[0]
    plan.set_failing("m1", True, NOW)
    assert plan.next_at() == due.scheduled_at + 60


def test_a_takeover_reissues_every_slot_since_the_lookback():
    plan = Plan()
    plan.upsert(monitor("a", interval=1), NOW)
    plan.upsert(monitor("b", interval=60), NOW)
    dues = plan.recent({"a", "b"}, NOW + 2, NOW + 10)
    a = sorted(d.slot for d in dues if d.monitor.id == "a")
    assert len(a) == 8 and a == list(range(a[0], a[0] + 8))
    assert all(NOW + 2 < d.scheduled_at <= NOW + 10 for d in dues if d.monitor.id == "a")
    # A slow monitor's current slot is re-issued even if it began before the lookback.
    [b] = [d for d in dues if d.monitor.id == "b"]
    assert b.scheduled_at <= NOW + 10 < b.deadline


def test_a_takeover_reissues_nothing_from_before_the_monitor_existed():
    plan = Plan()
    plan.upsert(monitor("a", interval=1), NOW)
    assert all(d.scheduled_at > NOW for d in plan.recent({"a"}, NOW - 100, NOW + 5))
