from datetime import UTC, datetime, timedelta

import pytest

from services.notifier.state import State, apply, overall, quorum

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def run(statuses: list[str], fail: int = 3, ok: int = 1, start: State | None = None):
    state, transitions = start or State(), []
    for i, status in enumerate(statuses):
        new = apply(state, status, T0 + timedelta(seconds=i), fail, ok)
        transitions.append(_transition(state, new))
        state = new
    return state, transitions


def _transition(old: State, new: State) -> str | None:
    """What the region's change means: it went down, came back up, or neither."""
    if new.status == "down" and old.status != "down":
        return "down"
    if old.status == "down" and new.status != "down":
        return "up"
    return None


def test_new_monitor_is_up_after_first_success():
    state, transitions = run(["up"])
    assert state.status == "up" and transitions == [None]


def test_down_only_after_threshold_consecutive_failures():
    state, transitions = run(["up", "down", "down", "down", "down"])
    assert transitions == [None, None, None, "down", None]
    assert state.status == "down" and state.since == T0 + timedelta(seconds=3)


def test_a_success_resets_the_failure_count():
    state, transitions = run(["up", "down", "down", "up", "down", "down"])
    assert "down" not in transitions and state.status == "up"


def test_up_again_only_after_success_threshold():
    state, transitions = run(["down", "down", "up", "down", "up", "up"], fail=2, ok=2)
    assert transitions == [None, "down", None, None, None, "up"]
    assert state.status == "up"


def test_flapping_target_3_2_gives_exactly_one_down_and_one_up():
    pattern = ["up", "down", "up", "down", "down", "down", "up", "down", "up", "up", "up"]
    _, transitions = run(pattern, fail=3, ok=2)
    assert [t for t in transitions if t] == ["down", "up"]


def test_missed_checks_change_nothing():
    before, _ = run(["up", "down"])
    after, transitions = run(["missed"], start=before)
    assert after == before and transitions == [None]


@pytest.mark.parametrize(("first", "then", "status"), [("up", "degraded", "degraded")])
def test_degraded_is_a_status_change_without_incident(first, then, status):
    state, transitions = run([first, then])
    assert state.status == status and transitions == [None, None]


def test_pending_monitor_failing_goes_down_at_threshold():
    state, transitions = run(["down", "down"], fail=2)
    assert state.status == "down" and transitions == [None, "down"]


def test_an_explicit_down_report_skips_the_threshold():
    before = State(status="up")
    state = apply(before, "down", T0, 3, 1, immediate=True)
    assert state.status == "down" and _transition(before, state) == "down"


def regions(**statuses: str) -> dict[str, State]:
    return {name: State(status=s) for name, s in statuses.items()}


def test_quorum_defaults_to_a_majority():
    assert [quorum(n, None) for n in (1, 2, 3, 4, 5)] == [1, 2, 2, 3, 3]
    assert quorum(3, 1) == 1 and quorum(2, 5) == 2


def test_two_of_three_regions_down_is_down_one_is_degraded():
    names = ["eu", "us", "ap"]
    assert overall(regions(eu="down", us="down", ap="up"), names, 2) == ("down", ["eu", "us"])
    assert overall(regions(eu="down", us="up", ap="up"), names, 2) == ("degraded", ["eu"])
    assert overall(regions(eu="up", us="up", ap="up"), names, 2) == ("up", [])


def test_regions_without_results_yet_are_pending():
    assert overall({}, ["eu", "us"], 2) == ("pending", [])
    assert overall(regions(eu="up"), ["eu", "us"], 2) == ("up", [])
