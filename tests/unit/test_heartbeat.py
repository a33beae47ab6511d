from datetime import UTC, datetime, timedelta

from shared.heartbeats import Ping
from shared.kinds.heartbeat import HeartbeatSpec
from shared.monitors import Monitor
from shared.probes.heartbeat import judge

CREATED = datetime(2026, 1, 1, tzinfo=UTC)


def monitor() -> Monitor:
    return Monitor(
        id="m",
        name="backup",
        kind="heartbeat",
        timeout_s=1,
        heartbeat=HeartbeatSpec(period_s=300, grace_s=60),
        created_at=CREATED,
        updated_at=CREATED,
    )


def at(seconds: float) -> datetime:
    return CREATED + timedelta(seconds=seconds)


def test_a_ping_within_period_and_grace_is_up():
    out = judge(monitor(), Ping(at=at(100)), at(100 + 359))
    assert out.status == "up" and out.details["age_s"] == 359


def test_a_late_ping_is_down_and_says_how_late():
    out = judge(monitor(), Ping(at=at(100)), at(100 + 361))
    assert out.status == "down" and out.error_kind == "heartbeat_late"
    assert "361 s ago" in out.error


def test_an_explicit_down_report_is_down_with_its_message():
    out = judge(monitor(), Ping(at=at(5), status="down", msg="disk full"), at(6))
    assert out.status == "down" and out.error_kind == "reported_down" and out.error == "disk full"


def test_a_new_monitor_waits_one_period_and_grace_for_its_first_ping():
    assert judge(monitor(), None, at(360)).status == "up"
    late = judge(monitor(), None, at(361))
    assert late.status == "down" and late.error_kind == "heartbeat_missing"
