"""Job monitors: cron schedules in a time zone across DST changes, start/finish pairing,
run-time bounds, and the validation of the schedule fields."""

from datetime import UTC, datetime, timedelta

import msgspec
import pytest

from shared.crontab import next_fire
from shared.heartbeats import Signal, apply, deadline, missed_run, output_excerpt, run_event
from shared.kinds.heartbeat import HeartbeatSpec
from shared.monitors import Monitor, MonitorFields, validate
from shared.probes.heartbeat import judge

BERLIN = "Europe/Berlin"
CREATED = datetime(2026, 1, 1, tzinfo=UTC)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def job(**spec) -> Monitor:
    return Monitor(
        id="m",
        name="backup",
        kind="heartbeat",
        timeout_s=1,
        heartbeat=HeartbeatSpec(**spec),
        created_at=CREATED,
        updated_at=CREATED,
    )


# -- the expected time across DST in Europe/Berlin (2026: 29 March, 25 October) ----------


def test_a_daily_cron_fires_at_the_same_wall_clock_time_after_the_spring_change():
    # 03:00 CET on 28 March is 02:00 UTC; 03:00 CEST on the 29th is 01:00 UTC: 23 h later.
    assert next_fire("0 3 * * *", BERLIN, utc("2026-03-28T02:00:00")) == utc("2026-03-29T01:00")


def test_a_fire_in_the_skipped_spring_hour_comes_at_the_jump_not_a_day_late():
    # 02:30 does not exist on 29 March: the job runs when the clock jumps to 03:00 CEST.
    assert next_fire("30 2 * * *", BERLIN, utc("2026-03-28T02:00:00")) == utc("2026-03-29T01:00")


def test_a_daily_cron_fires_at_the_same_wall_clock_time_after_the_autumn_change():
    # 03:00 CEST on 24 October is 01:00 UTC; 03:00 CET on the 25th is 02:00 UTC: 25 h later.
    assert next_fire("0 3 * * *", BERLIN, utc("2026-10-24T01:00:00")) == utc("2026-10-25T02:00")


def test_a_time_in_the_repeated_autumn_hour_is_expected_once_not_twice():
    # 02:30 comes twice on 25 October; cron runs the job at the first, so after that ping
    # the next one is due the next day, not an hour later.
    first = next_fire("30 2 * * *", BERLIN, utc("2026-10-25T00:20:00"))
    assert first == utc("2026-10-25T00:30")  # 02:30 CEST
    assert next_fire("30 2 * * *", BERLIN, utc("2026-10-25T00:35:00")) == utc("2026-10-26T01:30")


def test_the_deadline_is_the_next_fire_after_the_last_ping_plus_grace():
    spec = HeartbeatSpec(cron="0 3 * * *", timezone=BERLIN, grace_s=600)
    ping, _ = apply(spec, None, Signal("finish", utc("2026-03-28T02:05:00"), exit_code=0), CREATED)
    due = deadline(spec, ping, CREATED)
    assert due.why == "schedule" and due.at == utc("2026-03-29T01:10")
    monitor = job(cron="0 3 * * *", timezone=BERLIN, grace_s=600)
    assert judge(monitor, ping, utc("2026-03-29T01:09:59")).status == "up"
    late = judge(monitor, ping, utc("2026-03-29T01:10:01"))
    assert late.status == "down" and late.error_kind == "heartbeat_late"
    assert "Europe/Berlin" in late.error


# -- signals: start, finish, exit codes, rid pairing, run-time bounds --------------------


def at(seconds: float) -> datetime:
    return CREATED + timedelta(seconds=seconds)


def test_after_a_start_grace_counts_from_the_start():
    spec = HeartbeatSpec(period_s=3600, grace_s=60)
    ping, run = apply(spec, None, Signal("start", at(100)), CREATED)
    assert run is None and deadline(spec, ping, CREATED).at == at(160)
    overdue = judge(job(period_s=3600, grace_s=60), ping, at(161))
    assert overdue.status == "down" and overdue.error_kind == "run_overdue"


def test_max_runtime_replaces_grace_as_the_limit_of_a_started_run():
    spec = HeartbeatSpec(period_s=3600, grace_s=60, max_runtime_s=600)
    ping, _ = apply(spec, None, Signal("start", at(100)), CREATED)
    assert deadline(spec, ping, CREATED).at == at(700)


def test_a_finish_pairs_with_its_start_and_times_the_run():
    spec = HeartbeatSpec(period_s=3600)
    ping, _ = apply(spec, None, Signal("start", at(10)), CREATED)
    ping, run = apply(spec, ping, Signal("finish", at(52.5), exit_code=0), CREATED)
    assert run.outcome == "success" and run.started_at == at(10) and run.duration_s == 42.5
    assert ping.status == "up" and ping.runs == [] and ping.at == at(52.5)


def test_overlapping_runs_pair_by_run_id():
    spec = HeartbeatSpec(period_s=3600, grace_s=600)
    ping, _ = apply(spec, None, Signal("start", at(0), rid="a"), CREATED)
    ping, _ = apply(spec, ping, Signal("start", at(5), rid="b"), CREATED)
    ping, run_b = apply(spec, ping, Signal("finish", at(7), exit_code=0, rid="b"), CREATED)
    ping, run_a = apply(spec, ping, Signal("finish", at(30), exit_code=3, rid="a"), CREATED)
    assert (run_b.rid, run_b.duration_s, run_b.outcome) == ("b", 2.0, "success")
    assert (run_a.rid, run_a.duration_s, run_a.outcome, run_a.exit_code) == (
        "a",
        30.0,
        "failure",
        3,
    )
    assert ping.status == "down" and "exited with code 3" in ping.msg and ping.runs == []


def test_a_finish_without_a_start_is_a_run_of_unknown_duration():
    _, run = apply(HeartbeatSpec(), None, Signal("finish", at(5), exit_code=0), CREATED)
    assert run.outcome == "success" and run.started_at is None and run.duration_s is None


@pytest.mark.parametrize(
    ("took", "outcome"), [(9, "failure"), (10, "success"), (100, "success"), (101, "failure")]
)
def test_a_run_outside_min_and_max_runtime_is_a_failure(took, outcome):
    spec = HeartbeatSpec(period_s=3600, grace_s=600, min_runtime_s=10, max_runtime_s=100)
    ping, _ = apply(spec, None, Signal("start", at(0)), CREATED)
    ping, run = apply(spec, ping, Signal("finish", at(took), exit_code=0), CREATED)
    assert run.outcome == outcome and ping.status == ("up" if outcome == "success" else "down")
    if outcome == "failure":
        assert "runtime_s" in run.reason


def test_a_log_line_is_recorded_but_changes_nothing():
    spec = HeartbeatSpec()
    ping, _ = apply(spec, None, Signal("start", at(0)), CREATED)
    new, run = apply(spec, ping, Signal("log", at(1), output="step 2 of 5"), CREATED)
    assert new is None and run.outcome == "log" and run.output == "step 2 of 5"


def test_a_run_that_starts_after_its_deadline_is_late():
    spec = HeartbeatSpec(period_s=100, grace_s=10)
    ping, _ = apply(spec, None, Signal("finish", at(0), exit_code=0), CREATED)
    _, on_time = apply(spec, ping, Signal("finish", at(110), exit_code=0), CREATED)
    _, late = apply(spec, ping, Signal("finish", at(111), exit_code=0), CREATED)
    assert not on_time.late and late.late


def test_a_lost_end_signal_does_not_hold_the_monitor_down_for_ever():
    spec = HeartbeatSpec(period_s=3600, grace_s=60)
    ping, _ = apply(spec, None, Signal("start", at(0), rid="lost"), CREATED)
    ping, _ = apply(spec, ping, Signal("finish", at(500), exit_code=0), CREATED)
    assert ping.runs == [] and deadline(spec, ping, CREATED).why == "schedule"


def test_a_new_start_gives_up_on_a_run_that_never_ended():
    spec = HeartbeatSpec(period_s=86_400, grace_s=60)
    ping, _ = apply(spec, None, Signal("start", at(0)), CREATED)
    assert judge(job(period_s=86_400, grace_s=60), ping, at(100)).error_kind == "run_overdue"
    ping, _ = apply(spec, ping, Signal("start", at(86_400), rid="next"), CREATED)
    assert [r.rid for r in ping.runs] == ["next"]
    assert judge(job(period_s=86_400, grace_s=60), ping, at(86_430)).status == "up"


def test_a_run_that_never_came_is_missed_once_its_deadline_passes():
    spec = HeartbeatSpec(period_s=100, grace_s=10)
    ping, _ = apply(spec, None, Signal("finish", at(0), exit_code=0), CREATED)
    assert missed_run(spec, ping, CREATED, at(110), every_s=30) is None
    run = missed_run(spec, ping, CREATED, at(111), every_s=30)
    assert run.outcome == "missed" and run.ended_at == at(110) and run.late
    # Every check that notices it describes the same event, whichever region it runs in.
    again = missed_run(spec, ping, CREATED, at(140), every_s=30)
    assert run_event("m", run).id == run_event("m", again).id
    assert missed_run(spec, ping, CREATED, at(110 + 121), every_s=30) is None


def test_a_started_run_is_not_missed_while_it_runs():
    spec = HeartbeatSpec(period_s=100, grace_s=10)
    ping, _ = apply(spec, None, Signal("start", at(105)), CREATED)
    assert missed_run(spec, ping, CREATED, at(111), every_s=30) is None


def test_output_keeps_lines_and_strips_control_characters():
    text = output_excerpt(b"line 1\r\n\x1b[31mred\x1b[0m\tok\x00\xe2\x80\xae")
    assert text == "line 1\n[31mred[0m\tok"


def test_long_output_keeps_its_last_10_kb():
    text = output_excerpt(b"head " + b"x" * 20_000 + b" tail")
    assert text.endswith(" tail") and "head" not in text and len(text) == 10 * 1024


# -- validation: every field bounded, errors name the field ------------------------------


def fields(**heartbeat) -> MonitorFields:
    return msgspec.convert(
        {"name": "j", "kind": "heartbeat", "heartbeat": heartbeat}, MonitorFields
    )


def error_fields(**heartbeat) -> list[str]:
    return [e.field for e in validate(fields(**heartbeat))]


def test_a_cron_in_a_real_zone_is_valid():
    assert error_fields(cron="0 3 * * *", timezone=BERLIN, grace_s=900, max_runtime_s=3600) == []


@pytest.mark.parametrize(
    ("heartbeat", "field"),
    [
        ({"cron": "0 3 * *"}, "heartbeat.cron"),
        ({"cron": "0 0 3 * * *"}, "heartbeat.cron"),
        ({"cron": "every day"}, "heartbeat.cron"),
        ({"cron": "0 0 30 2 *"}, "heartbeat.cron"),
        ({"cron": "0 3 * * *", "timezone": "Mars/Olympus"}, "heartbeat.timezone"),
        ({"cron": "0 3 * * *", "timezone": "America"}, "heartbeat.timezone"),
        ({"cron": "0 3 * * *", "period_s": 60}, "heartbeat.period_s"),
        ({"min_runtime_s": 60, "max_runtime_s": 60}, "heartbeat.min_runtime_s"),
    ],
)
def test_a_schedule_that_cannot_work_names_its_field(heartbeat, field):
    assert error_fields(**heartbeat) == [field]


@pytest.mark.parametrize(
    "heartbeat",
    [{"max_runtime_s": 0}, {"max_runtime_s": 10**9}, {"min_runtime_s": -1}, {"cron": "x" * 200}],
)
def test_out_of_range_runtimes_and_long_crons_are_refused_when_decoded(heartbeat):
    with pytest.raises(msgspec.ValidationError):
        fields(**heartbeat)
