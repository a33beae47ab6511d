from datetime import UTC, datetime, timedelta

from services.executor.main import missed
from shared.events import CheckDue
from shared.monitors import Monitor

AT = datetime(2026, 1, 1, tzinfo=UTC)


def due() -> CheckDue:
    m = Monitor(
        id="m", name="m", kind="http", target="http://x/", timeout_s=1, created_at=AT, updated_at=AT
    )
    return CheckDue(
        check_id="m:1",
        monitor_id="m",
        region="default",
        slot=1,
        scheduled_at=AT,
        deadline=AT + timedelta(seconds=60),
        monitor=m,
    )


def test_a_check_started_before_its_deadline_runs():
    assert missed(due(), AT + timedelta(seconds=59)) is None


def test_a_check_past_its_deadline_is_recorded_as_missed_not_run():
    out = missed(due(), AT + timedelta(seconds=75))
    assert out.status == "missed" and out.error_kind == "missed" and "75.0 s" in out.error
