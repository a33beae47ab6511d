"""The limits every monitor, channel and maintenance window definition must keep."""

import time
from datetime import UTC, datetime

import msgspec
import pytest

from services.api.problems import field_error, plain
from shared import channels, maintenance, patterns
from shared.monitors import MonitorFields, validate

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def monitor(**kw) -> dict:
    return {"name": "x", "kind": "http", "target": "https://example.com/", **kw}


def refused_field(doc: dict) -> str:
    """The field the struct or the rules refuse `doc` for."""
    try:
        fields = msgspec.convert(doc, MonitorFields)
    except msgspec.ValidationError as exc:
        return field_error(exc).field
    errors = validate(fields)
    assert errors, "accepted"
    return errors[0].field


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        (monitor(name="invoice\u202etxt.exe"), "name"),
        (monitor(name="a\x00b"), "name"),
        (monitor(name="a\x85b"), "name"),
        (monitor(name="a\u2066b"), "name"),
        (monitor(target="https://example.com/\r\nHost: evil"), "target"),
        (monitor(tags=["ok", "bad\nline"]), "tags[1]"),
        (monitor(tags=[f"t{i}" for i in range(33)]), "tags"),
        (monitor(channel_ids=["x" * 65]), "channel_ids[0]"),
        (monitor(http={"headers": {f"X-{i}": "v" for i in range(33)}}), "http.headers"),
        (monitor(http={"headers": {"X-A": "v" * 2049}}), "http.headers"),
        (monitor(http={"headers": {"X" * 129: "v"}}), "http.headers"),
        (monitor(http={"headers": {"X-A": "a\u202eb"}}), "http.headers.X-A"),
        (monitor(http={"headers": {"X-A": "a\x00b"}}), "http.headers.X-A"),
        (
            monitor(http={"auth": {"type": "bearer", "token": "abc\r\nX-Evil: 1"}}),
            "http.auth.token",
        ),
        (
            monitor(http={"auth": {"type": "basic", "username": "a:b", "password": "p"}}),
            "http.auth.username",
        ),
        (
            monitor(http={"auth": {"type": "basic", "username": "a", "password": "p\n"}}),
            "http.auth.password",
        ),
        (monitor(http={"keyword": "k" * 1025}), "http.keyword"),
        (monitor(http={"regex": "a" * (patterns.MAX_LENGTH + 1)}), "http.regex"),
        (monitor(http={"regex": r"\pL{1000}"}), "http.regex"),
        (monitor(http={"regex": "(?<=a)b"}), "http.regex"),
        (monitor(http={"body": "b" * (64 * 1024 + 1)}), "http.body"),
        (
            monitor(http={"json_assertions": [{"path": "$.a", "value": "v" * 1025}]}),
            "http.json_assertions[0].value",
        ),
        (monitor(http={"json_assertions": [{"path": "$.a"}] * 33}), "http.json_assertions"),
        (monitor(kind="tcp", target="h:1", tcp={"send": "s" * 4097}), "tcp.send"),
        (monitor(kind="tcp", target="h:1", tcp={"expect": "e" * 4097}), "tcp.expect"),
        (
            monitor(kind="dns", target="example.com", dns={"expected": ["x" * 1025]}),
            "dns.expected[0]",
        ),
        (
            monitor(kind="dns", target="example.com", dns={"expected": ["1.2.3.4"] * 65}),
            "dns.expected",
        ),
        (monitor(escalation={"after_s": 60, "channel_ids": ["c"] * 33}), "escalation.channel_ids"),
    ],
)
def test_definitions_beyond_the_limits_are_refused_naming_the_field(doc, field):
    assert refused_field(doc) == field


def test_control_characters_get_a_readable_message():
    with pytest.raises(msgspec.ValidationError) as caught:
        msgspec.convert(monitor(name="a\u202eb"), MonitorFields)
    assert field_error(caught.value).message == (
        "must not contain control characters (line breaks, NUL, bidi overrides)"
    )


def test_tcp_send_keeps_its_line_breaks():
    doc = monitor(kind="tcp", target="h:1", tcp={"send": "PING\r\n", "expect": "+PONG\r\n"})
    assert validate(msgspec.convert(doc, MonitorFields)) == []


@pytest.mark.parametrize(
    ("kind", "config", "field"),
    [
        ("webhook", {"url": "https://h/\r\nx"}, "url"),
        (
            "webhook",
            {"url": "https://h/", "headers": {f"X-{i}": "v" for i in range(33)}},
            "headers",
        ),
        ("telegram", {"bot_token": "a\u202eb", "chat_id": 1}, "bot_token"),
        (
            "email",
            {"host": "h", "port": 25, "from_addr": "a@b.c", "to_addrs": ["x\n@b.c"]},
            "to_addrs[0]",
        ),
    ],
)
def test_channel_configs_beyond_the_limits_are_refused(kind, config, field):
    with pytest.raises(msgspec.ValidationError) as caught:
        channels.load(kind, config)
    assert field_error(caught.value).field == field


def test_a_webhook_header_value_with_a_control_character_is_refused():
    config = channels.load("webhook", {"url": "https://h/", "headers": {"X-A": "a\x00"}})
    assert [f for f, _ in channels.problems(config)] == ["headers"]


def test_a_backtracking_regex_runs_in_linear_time():
    started = time.perf_counter()
    assert not patterns.search("(a+)+$", "a" * 100_000 + "!")
    # Python's re needs seconds for 25 `a`; RE2 a few milliseconds for 100,000.
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    ("cron", "zone", "field"),
    [
        ("0 0 30 2 *", "UTC", "cron"),
        ("0 0 31 4 *", "UTC", "cron"),
        ("0 0 1 1 * 0 2099", "UTC", "cron"),
        ("0 0 1 1 * 0 2020", "UTC", "cron"),
        ("not cron", "UTC", "cron"),
        ("0 3 * * *", "America", "timezone"),
        ("0 3 * * *", "../../etc/passwd", "timezone"),
        ("0 3 * * *", "Nowhere/City", "timezone"),
    ],
)
def test_a_cron_window_that_cannot_fire_is_refused(cron, zone, field):
    with pytest.raises(maintenance.WindowError) as caught:
        maintenance.check(None, None, cron, 600, zone, NOW)
    assert caught.value.field == field


@pytest.mark.parametrize("cron", ["0 3 * * *", "0 0 29 2 *", "0 0 1 1 * 0 2027"])
def test_crons_that_fire_within_the_horizon_are_accepted(cron):
    maintenance.check(None, None, cron, 600, "Europe/Berlin", NOW)


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "field"),
    [
        (datetime(2026, 1, 1), datetime(2026, 1, 2, tzinfo=UTC), "starts_at"),
        (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2), "ends_at"),
        (datetime(1, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC), "starts_at"),
        (datetime(2026, 1, 2, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC), "ends_at"),
    ],
)
def test_one_off_windows_need_real_aware_times_in_order(starts_at, ends_at, field):
    with pytest.raises(maintenance.WindowError) as caught:
        maintenance.check(starts_at, ends_at, None, None, "UTC", NOW)
    assert caught.value.field == field


def test_a_stored_window_that_never_fires_has_a_problem_and_is_never_active():
    window = maintenance.Window(frozenset(), frozenset(), cron="0 0 30 2 *", duration_s=60)
    assert "cron" in (window.problem(NOW) or "")
    assert window.active(NOW) is False


def test_a_stored_window_in_a_directory_zone_has_a_problem():
    window = maintenance.Window(
        frozenset(), frozenset(), cron="0 3 * * *", duration_s=60, timezone="America"
    )
    assert "timezone" in (window.problem(NOW) or "")


def test_a_window_whose_year_is_still_ahead_is_valid_and_inactive():
    window = maintenance.Window(frozenset(), frozenset(), cron="0 0 1 1 * 0 2027", duration_s=60)
    assert window.problem(NOW) is None
    assert window.active(NOW) is False


def test_occurrences_of_a_cron_with_a_year_stop_at_its_last_start():
    found = maintenance.occurrences("0 0 1 1 * 0 2027", 60, "UTC", NOW, 5)
    assert [start.year for start, _ in found] == [2027]


@pytest.mark.parametrize(
    ("msgspec_says", "people_read"),
    [
        ("Expected `str` of length >= 8", "must be at least 8 characters long"),
        ("Expected `str` of length <= 200", "must be at most 200 characters long"),
        ("Expected `str` of length >= 1", "must not be empty"),
        ("Expected `array` of length <= 10", "must have at most 10 items"),
        ("Expected `object` of length <= 50", "must have at most 50 entries"),
        ("Expected `int` >= 1", "must be at least 1"),
        ("Expected `float` > 0.0", "must be greater than 0.0"),
        ("Expected `int` <= 86400", "must be at most 86400"),
        ("Expected `bool`, got `str`", "must be true or false, not a string"),
        ("Expected `int | null`, got `str`", "must be an integer, not a string"),
        # Shapes it does not know stay as written.
        ("Expected `str` matching regex '^[a-z]+$'", "Expected `str` matching regex '^[a-z]+$'"),
        ("Invalid enum value 'x'", "Invalid enum value 'x'"),
    ],
)
def test_constraint_messages_read_as_a_form_says_them(msgspec_says, people_read):
    assert plain(msgspec_says) == people_read


def test_an_out_of_range_interval_names_the_field_in_plain_words():
    with pytest.raises(msgspec.ValidationError) as caught:
        msgspec.convert(monitor(interval_s=0), MonitorFields)
    error = field_error(caught.value)
    assert (error.field, error.message.split(" ")[:3]) == ("interval_s", ["must", "be", "at"])
