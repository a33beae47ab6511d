"""The alert decision without servers: a table of cases, then properties over streams."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.notifier.decide import (
    Decision,
    OpenIncident,
    Reminding,
    Tracked,
    decide,
    incident_id,
    remind,
)
from shared.events import CheckResult, IncidentOpened, IncidentResolved
from shared.maintenance import Window
from shared.monitors import Escalation, Monitor

T0 = datetime(2026, 1, 1, tzinfo=UTC)
MID = "5b0c3f1e-4d2a-4b8e-9c1f-2a7d6e3b8c90"


def mon(**fields) -> Monitor:
    base = {
        "id": MID,
        "name": "shop",
        "kind": "http",
        "target": "http://127.0.0.1/",
        "interval_s": 60,
        "timeout_s": 5,
        "failure_threshold": 1,
        "success_threshold": 1,
        "regions": ["eu"],
        "channel_ids": ["c1"],
        "created_at": T0,
        "updated_at": T0,
    }
    return Monitor(**{**base, **fields})


def at(slot: int) -> datetime:
    return T0 + timedelta(minutes=slot)


def result(slot: int, status: str, region: str = "eu", **fields) -> CheckResult:
    return CheckResult(
        check_id=f"{MID}:{slot}",
        monitor_id=MID,
        region=region,
        scheduled_at=at(slot),
        checked_at=at(slot),
        status=status,
        error="HTTP 503" if status == "down" else None,
        **fields,
    )


def window(start: int, end: int) -> Window:
    return Window(
        monitor_ids=frozenset({MID}), tags=frozenset(), starts_at=at(start), ends_at=at(end)
    )


@dataclass
class Run:
    decisions: list[Decision] = field(default_factory=list)
    tracked: Tracked = field(default_factory=Tracked)

    @property
    def actions(self) -> list[str]:
        return [d.action for d in self.decisions]


def run(m: Monitor, results: list[CheckResult], windows=(), start: Tracked | None = None) -> Run:
    out = Run(tracked=start or Tracked())
    for r in results:
        d = decide(m, out.tracked, r, windows)
        out.decisions.append(d)
        out.tracked = d.after
    return out


def steps(*spec: str, region: str = "eu") -> list[CheckResult]:
    return [result(i, s, region) for i, s in enumerate(spec)]


# -- the table ----------------------------------------------------------------------

CASES = [
    # (name, monitor fields, results, windows, actions, final status)
    (
        "opens at the failure threshold",
        {"failure_threshold": 3},
        steps("up", "down", "down", "down"),
        (),
        ["none", "none", "none", "open"],
        "down",
    ),
    (
        "a success resets the failure count",
        {"failure_threshold": 2},
        steps("down", "up", "down"),
        (),
        ["none", "none", "none"],
        "up",
    ),
    (
        "recovery resolves",
        {"failure_threshold": 2},
        steps("down", "down", "up"),
        (),
        ["none", "open", "resolve"],
        "up",
    ),
    (
        "recovery waits for the success threshold",
        {"success_threshold": 2},
        steps("down", "up", "down", "up", "up"),
        (),
        ["open", "none", "none", "none", "resolve"],
        "up",
    ),
    (
        "stays down without a second open",
        {},
        steps("down", "down", "down"),
        (),
        ["open", "none", "none"],
        "down",
    ),
    (
        "missed checks change nothing",
        {"failure_threshold": 2},
        steps("down", "missed", "down"),
        (),
        ["none", "none", "open"],
        "down",
    ),
    (
        "degraded is a status, not an incident",
        {},
        steps("up", "degraded", "up"),
        (),
        ["none", "none", "none"],
        "up",
    ),
    (
        "a paused monitor never alerts",
        {"paused": True},
        steps("down", "down"),
        (),
        ["none", "none"],
        "pending",
    ),
    (
        "results of a region the monitor left change nothing",
        {"regions": ["us"]},
        steps("down", "down"),
        (),
        ["none", "none"],
        "pending",
    ),
    (
        "maintenance holds the alert until it ends",
        {},
        steps("down", "down", "down"),
        (window(0, 2),),
        ["none", "none", "open"],
        "down",
    ),
    (
        "a recovery inside maintenance resolves only after it",
        {},
        steps("down", "up", "up"),
        (window(1, 2),),
        ["open", "none", "resolve"],
        "up",
    ),
    (
        "a failure inside maintenance shows maintenance",
        {},
        steps("up", "down"),
        (window(1, 5),),
        ["none", "none"],
        "maintenance",
    ),
    (
        "a window ending at the result's time no longer covers it",
        {},
        steps("down"),
        (window(-5, 0),),
        ["open"],
        "down",
    ),
]


@pytest.mark.parametrize(
    ("fields", "results", "windows", "actions", "status"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_decision_table(fields, results, windows, actions, status):
    out = run(mon(**fields), results, windows)
    assert out.actions == actions
    assert out.tracked.status == status


def test_duplicate_and_older_results_are_not_applied():
    m = mon(failure_threshold=3)
    first = run(m, [result(5, "down")])
    for again in (result(5, "down"), result(3, "down")):
        d = decide(m, first.tracked, again)
        assert not d.applied and d.after == first.tracked and d.action == "none"


def test_each_region_counts_on_its_own_and_a_majority_opens():
    m = mon(regions=["eu", "us", "ap"], failure_threshold=2)
    out = run(m, [result(0, "down", "eu"), result(0, "down", "us"), result(1, "down", "eu")])
    assert out.actions == ["none", "none", "none"] and out.tracked.status == "degraded"
    d = decide(m, out.tracked, result(1, "down", "us"))
    assert d.action == "open" and d.down_regions == ("eu", "us")
    assert d.opening.incident.regions == ("eu", "us")
    assert (d.old_status, d.new_status) == ("degraded", "down")


def test_a_configured_quorum_of_one_opens_on_one_region():
    m = mon(regions=["eu", "us", "ap"], quorum=1)
    assert run(m, [result(0, "down", "ap")]).actions == ["open"]


def test_an_explicit_down_report_skips_the_threshold():
    m = mon(failure_threshold=5)
    d = decide(m, Tracked(), result(0, "down", details={"explicit": True}))
    assert d.action == "open"


def test_an_opening_carries_cause_deadlines_and_the_masked_monitor():
    m = mon(
        target="https://ops:hunter2@shop.example/",
        reminder_every_s=600,
        escalation=Escalation(after_s=900, channel_ids=["c9"]),
    )
    d = decide(m, Tracked(status="up"), result(0, "down"))
    o = d.opening
    assert o.cause == "HTTP 503" and o.incident.opened_at == at(0) and o.monitor_id == MID
    assert o.remind_at == at(10) and o.escalate_at == at(15)
    assert o.incident.id == incident_id(MID, result(0, "down"))
    assert isinstance(d.deliver, IncidentOpened) and d.deliver.channel_ids == ["c1"]
    assert "hunter2" not in d.deliver.monitor.target
    assert d.deliver.incident.id == o.incident.id and d.deliver.result.error == "HTTP 503"
    assert d.after.incident == o.incident


def test_a_failure_without_an_error_is_named_by_its_status():
    r = CheckResult(
        check_id="x", monitor_id=MID, region="eu", scheduled_at=T0, checked_at=T0, status="down"
    )
    assert decide(mon(), Tracked(), r).opening.cause == "check down"


def test_the_resolution_names_the_open_incident():
    open_one = OpenIncident(id="i1", opened_at=at(-3), regions=("eu",))
    tracked = Tracked(status="down", incident=open_one)
    d = decide(mon(), tracked, result(0, "up"))
    assert d.action == "resolve" and d.resolving == open_one and d.after.incident is None
    assert isinstance(d.deliver, IncidentResolved)
    ref = d.deliver.incident
    assert (ref.id, ref.opened_at, ref.resolved_at, ref.resolved_by) == (
        "i1",
        at(-3),
        at(0),
        "auto",
    )
    assert ref.regions == ["eu"] and d.deliver.result.status == "up"


def test_an_incident_resolved_by_hand_is_not_reopened_while_still_down():
    # A manual resolve detaches the incident; the monitor stays down, quietly.
    d = decide(mon(), Tracked(status="down"), result(0, "down"))
    assert d.action == "none" and d.deliver is None and d.new_status == "down"


def test_the_scheduler_hears_when_failing_starts_and_stops():
    out = run(mon(failure_threshold=2), steps("up", "down", "down", "up"))
    said = [(d.announce.status, d.announce.failing) for d in out.decisions if d.announce]
    assert said == [("up", False), ("up", True), ("down", False), ("up", False)]


# -- reminders -----------------------------------------------------------------------


def test_a_due_reminder_is_sent_and_the_next_is_one_period_on():
    assert remind(mon(reminder_every_s=600), at(10), (), at(10)) == Reminding(True, at(20))


def test_after_a_stall_one_reminder_then_back_on_the_cadence():
    # Due at minute 10, swept at minute 60: one now, the next half a period later.
    assert remind(mon(reminder_every_s=600), at(10), (), at(60)) == Reminding(True, at(65))


def test_no_reminder_inside_maintenance_but_the_cadence_goes_on():
    r = remind(mon(reminder_every_s=600), at(10), (window(5, 15),), at(10))
    assert r == Reminding(False, at(20))


def test_a_monitor_that_stopped_reminding_clears_the_deadline():
    assert remind(mon(), at(10), (), at(10)) == Reminding(False, None)


# -- properties over streams ---------------------------------------------------------

STATUSES = st.sampled_from(["up", "down", "down", "degraded", "missed"])
REGIONS = ["eu", "us", "ap"]


@st.composite
def scenarios(draw):
    n = draw(st.integers(1, 3))
    regions = REGIONS[:n]
    m = mon(
        regions=regions,
        quorum=draw(st.none() | st.integers(1, n)),
        failure_threshold=draw(st.integers(1, 3)),
        success_threshold=draw(st.integers(1, 3)),
    )
    count = draw(st.integers(0, 40))
    results = []
    for slot in range(count):
        # Mostly in order, sometimes a repeat or a late one from an earlier slot.
        shown = max(0, slot - draw(st.sampled_from([0, 0, 0, 1, 3])))
        results.append(result(shown, draw(STATUSES), draw(st.sampled_from(regions))))
    starts = draw(st.lists(st.integers(0, 40), max_size=2))
    windows = [window(s, s + draw(st.integers(1, 10))) for s in starts]
    return m, results, windows, count


def _quiet(windows, r: CheckResult) -> bool:
    return any(w.active(r.checked_at) for w in windows)


@settings(max_examples=120, deadline=None)
@given(scenarios())
def test_a_stream_never_opens_twice_without_a_resolve(case):
    m, results, windows, _ = case
    out = run(m, results, windows)
    open_now = False
    for d in out.decisions:
        if d.action == "open":
            assert not open_now
            open_now = True
        elif d.action == "resolve":
            assert open_now
            open_now = False
        assert (d.after.incident is not None) == open_now


@settings(max_examples=120, deadline=None)
@given(scenarios())
def test_nothing_alerts_inside_maintenance(case):
    m, results, windows, _ = case
    out = run(m, results, windows)
    for r, d in zip(results, out.decisions, strict=True):
        if _quiet(windows, r) and d.applied:
            assert d.action == "none" and d.deliver is None
            assert d.new_status == "maintenance"


@settings(max_examples=120, deadline=None)
@given(scenarios())
def test_every_open_is_resolved_once_results_recover(case):
    m, results, windows, count = case
    # Recovery after every window: enough successes from every region.
    tail_start = count + 60
    recovery = [
        result(tail_start + i, "up", region)
        for i in range(m.success_threshold)
        for region in m.regions
    ]
    out = run(m, results + recovery, windows)
    opens, resolves = out.actions.count("open"), out.actions.count("resolve")
    assert opens == resolves and out.tracked.incident is None
    assert out.tracked.status == "up"
