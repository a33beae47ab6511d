"""Where a stream's copies sit, as ops/queues and `upmon queues` show it."""

from __future__ import annotations

import msgspec
import pytest
from nats.js.api import ClusterInfo, PeerInfo

from shared.leadership import SAMPLE_MAX_S, LeaderOrder, sample_seconds
from shared.placement import (
    UNHEARD_S,
    Group,
    Move,
    Peer,
    Placement,
    balance,
    copy_state,
    describe,
    drain,
    group_of,
    loads,
    placement,
)


def cluster(leader: str | None, *peers: PeerInfo) -> ClusterInfo:
    return ClusterInfo(name="upmon", leader=leader, replicas=list(peers))


def test_a_server_outside_any_cluster_has_no_placement():
    assert placement(None) is None
    # A lone server names itself leader but belongs to no cluster.
    assert placement(ClusterInfo(leader="NABC")) is None
    assert describe(None) == "-"


def test_the_leader_and_each_copy_sorted_by_name():
    got = placement(
        cluster(
            "nats-2",
            PeerInfo(name="nats-3", current=True, lag=0),
            PeerInfo(name="nats-1", current=False, offline=True, lag=12),
        )
    )
    assert got == Placement(
        leader="nats-2",
        replicas=[
            Peer(name="nats-1", current=False, offline=True, lag=12, state="offline"),
            Peer(name="nats-3", current=True, state="caught_up"),
        ],
    )
    assert describe(got) == "nats-2 (nats-1 offline, nats-3)"


def test_a_copy_behind_says_by_how_much_and_one_not_current_without_a_lag_says_so():
    got = placement(
        cluster("nats-1", PeerInfo(name="nats-2", lag=40), PeerInfo(name="nats-3", current=False))
    )
    assert describe(got) == "nats-1 (nats-2 behind 40, nats-3 not current)"


def test_a_copy_its_leader_has_not_heard_from_for_seconds_is_unreachable():
    got = placement(
        cluster(
            "nats-1",
            PeerInfo(name="nats-2", current=False, active=14_200_000_000, lag=7),
            PeerInfo(name="nats-3", current=True, active=300_000_000),
        )
    )
    assert [p.last_seen_s for p in got.replicas] == [14.2, 0.3]
    assert describe(got) == "nats-1 (nats-2 unreachable 14s, nats-3)"


@pytest.mark.parametrize(
    ("offline", "current", "lag", "last_seen_s", "state"),
    [
        (False, True, 0, None, "caught_up"),
        (False, True, 0, UNHEARD_S - 0.1, "caught_up"),
        # The leader's last word on a silent copy may still say current: silence wins.
        (False, True, 0, UNHEARD_S, "unreachable"),
        (False, False, 7, UNHEARD_S + 4, "unreachable"),
        (True, True, 0, UNHEARD_S + 4, "offline"),
        (True, False, 3, None, "offline"),
        (False, False, 40, 0.2, "behind"),
        (False, False, 0, 0.2, "not_current"),
    ],
)
def test_a_copys_state_is_its_worst_sign(offline, current, lag, last_seen_s, state):
    got = copy_state(offline=offline, current=current, lag=lag, last_seen_s=last_seen_s)
    assert got == state


def test_an_unreachable_copy_is_lost_and_never_a_leader_candidate():
    info = cluster(
        "nats-1",
        PeerInfo(name="nats-2", current=True, active=int(UNHEARD_S * 1e9) + 1),
        PeerInfo(name="nats-3", current=True, active=200_000_000),
    )
    peers = placement(info).replicas
    assert [(p.name, p.lost) for p in peers] == [("nats-2", True), ("nats-3", False)]
    assert group_of(info, "CHECKS").candidates == ["nats-3"]


def test_during_an_election_there_is_no_leader():
    got = placement(cluster(None, PeerInfo(name="nats-2", current=True)))
    assert got is not None and got.leader is None
    assert describe(got) == "no leader (nats-2)"


def test_a_single_copy_cluster_stream_shows_its_leader_alone():
    assert describe(placement(cluster("nats-3"))) == "nats-3"


# -- moving leaders ----------------------------------------------------------------------

NODES = ["nats-1", "nats-2", "nats-3"]


def g(name: str, leader: str | None, rate: float = 0.0, *, to: list[str] | None = None) -> Group:
    ready = [n for n in NODES if n != leader] if to is None else to
    return Group(stream=name, leader=leader, candidates=ready, rate=rate)


def after(groups: list[Group], moves: list[Move]) -> dict[str, float]:
    moved = {m.stream: m.to for m in moves}
    return loads(
        [Group(stream=x.stream, leader=moved.get(x.stream, x.leader), rate=x.rate) for x in groups],
        NODES,
    )


def test_only_copies_online_and_caught_up_can_take_a_leader_over():
    got = group_of(
        cluster(
            "nats-1",
            PeerInfo(name="nats-2", current=True),
            PeerInfo(name="nats-3", current=False, lag=5),
        ),
        "RESULTS",
        "recorder",
        rate=12.0,
    )
    assert got == Group(
        stream="RESULTS", consumer="recorder", leader="nats-1", candidates=["nats-2"], rate=12.0
    )
    assert got.label == "RESULTS/recorder"
    assert group_of(None, "RESULTS") is None


def test_an_idle_cluster_is_balanced_by_the_number_of_groups_each_node_leads():
    groups = [g(f"S{i}", "nats-1") for i in range(9)]
    plan = balance(groups, NODES)
    assert after(groups, plan.moves) == {"nats-1": 3.0, "nats-2": 3.0, "nats-3": 3.0}
    assert len(plan.moves) == 6


def test_busy_groups_are_spread_by_their_rate_and_idle_ones_left_alone():
    groups = [
        g("CHECKS", "nats-1", 1000),
        g("RESULTS", "nats-1", 1000),
        g("recorder", "nats-1", 1000),
        g("KV", "nats-2"),
        g("DLQ", "nats-3"),
    ]
    plan = balance(groups, NODES)
    assert sorted(after(groups, plan.moves).values()) == [1000.0, 1001.0, 1001.0]
    # Each busy group not on its own node moved once; the idle ones did not move.
    assert {m.stream for m in plan.moves} <= {"CHECKS", "RESULTS", "recorder"}
    assert len(plan.moves) == 2


def test_a_balanced_cluster_needs_no_move_and_a_tiny_gain_is_not_worth_an_election():
    even = [g("A", "nats-1", 100), g("B", "nats-2", 100), g("C", "nats-3", 100)]
    assert balance(even, NODES).moves == []
    # Moving the idle group would even 101/100/100 by one message a second.
    nearly = [*even, g("D", "nats-1")]
    assert balance(nearly, NODES).moves == []
    # Moving one of three idle groups would lower the busiest node by 1 of ~101.
    idle = [*even, g("D", "nats-1"), g("E", "nats-1"), g("F", "nats-1")]
    assert balance(idle, NODES).moves == []
    # The same groups all idle weigh alike, and then they do move.
    assert len(balance([g(x.stream, x.leader) for x in idle], NODES).moves) == 2


def test_a_leader_goes_only_where_a_copy_is_ready_and_each_group_moves_once():
    groups = [g("A", "nats-1", 500, to=["nats-2"]), g("B", "nats-1", 500, to=[])]
    plan = balance(groups, NODES)
    assert plan.moves == [Move(stream="A", source="nats-1", to="nats-2")]
    # A copy on a node that is not online (not in the node list) is not a target.
    assert balance([g("A", "nats-1", 500, to=["nats-9"]), g("B", "nats-1", 500)], NODES).moves
    assert balance([g("A", "nats-1", 500, to=["nats-9"])], NODES).moves == []


def test_a_group_without_a_leader_is_left_to_its_election():
    assert balance([g("A", None, 500), g("B", None, 500)], NODES).moves == []


def test_a_drain_moves_every_leader_off_the_node_to_the_least_loaded_copy():
    groups = [
        g("CHECKS", "nats-2", 1000),
        g("RESULTS", "nats-2", 900),
        g("KV", "nats-2"),
        g("recorder", "nats-1", 800),
        g("DLQ", "nats-3"),
    ]
    plan = drain(groups, {"nats-2"}, NODES)
    assert plan.stuck == []
    # Heaviest first, each to the node with less load at the time.
    assert [(m.stream, m.to) for m in plan.moves] == [
        ("CHECKS", "nats-3"),
        ("RESULTS", "nats-1"),
        ("KV", "nats-3"),
    ]
    assert after(groups, plan.moves)["nats-2"] == 0


def test_a_drain_names_the_groups_no_copy_can_take():
    plan = drain([g("A", "nats-2", 10, to=[]), g("B", "nats-2", 5)], {"nats-2"}, NODES)
    assert plan.stuck == ["A"]
    assert [m.stream for m in plan.moves] == ["B"]


def test_draining_two_nodes_hands_every_leader_to_the_third():
    groups = [g("A", "nats-2", 10), g("B", "nats-3", 5), g("C", "nats-1", 1)]
    plan = drain(groups, {"nats-2", "nats-3"}, NODES)
    assert [(m.stream, m.to) for m in plan.moves] == [("A", "nats-1"), ("B", "nats-1")]
    # A copy on a drained node is no refuge.
    plan = drain([g("A", "nats-2", 10, to=["nats-3"])], {"nats-2", "nats-3"}, NODES)
    assert plan.stuck == ["A"]


@pytest.mark.parametrize("text", ["0", "5", "60", "0.5"])
def test_a_sample_within_the_bound_is_taken(text):
    assert sample_seconds(text) == float(text)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("soon", "a number of seconds"),
        ("-1", f"between 0 and {SAMPLE_MAX_S:g} seconds"),
        ("60.5", f"between 0 and {SAMPLE_MAX_S:g} seconds"),
        ("nan", f"between 0 and {SAMPLE_MAX_S:g} seconds"),
        ("inf", f"between 0 and {SAMPLE_MAX_S:g} seconds"),
    ],
)
def test_a_sample_outside_the_bound_is_refused_with_the_reason(text, why):
    with pytest.raises(ValueError, match=why):
        sample_seconds(text)


def test_an_order_decoded_from_json_keeps_the_same_bound():
    with pytest.raises(msgspec.ValidationError, match="sample_s"):
        msgspec.convert({"sample_s": SAMPLE_MAX_S + 1}, LeaderOrder)


async def a_move_tried(monkeypatch, answers: list[str | None]) -> tuple[str | None, int]:
    """`carry_out`'s retry around the real step-down, given what each step-down says."""
    from shared import leadership

    asked = []

    async def hand_over(js, move):
        asked.append(move)
        return answers[len(asked) - 1]

    monkeypatch.setattr(leadership, "hand_over", hand_over)
    monkeypatch.setattr(leadership, "RETRY_AFTER_S", 0)
    move = Move(stream="CHECKS", consumer="", source="nats-1", to="nats-2")
    return await leadership._hand_over_twice(None, move), len(asked)


async def test_a_move_whose_election_went_elsewhere_is_tried_once_more(monkeypatch):
    assert await a_move_tried(monkeypatch, ["no election won by nats-2", None]) == (None, 2)


async def test_a_move_that_fails_twice_says_both_reasons(monkeypatch):
    why, tries = await a_move_tried(monkeypatch, ["no election won by nats-2", "refused"])
    assert tries == 2 and why == "refused (tried twice; first: no election won by nats-2)"


async def test_a_move_that_works_at_once_is_made_once(monkeypatch):
    assert await a_move_tried(monkeypatch, [None]) == (None, 1)
