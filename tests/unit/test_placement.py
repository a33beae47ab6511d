"""Where a stream's copies sit, as ops/queues and `upmon queues` show it."""

from __future__ import annotations

from nats.js.api import ClusterInfo, PeerInfo

from shared.placement import Peer, Placement, describe, placement


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
            Peer(name="nats-1", current=False, offline=True, lag=12),
            Peer(name="nats-3", current=True),
        ],
    )
    assert describe(got) == "nats-2 (nats-1 offline, nats-3)"


def test_a_copy_behind_says_by_how_much_and_one_not_current_without_a_lag_says_so():
    got = placement(
        cluster("nats-1", PeerInfo(name="nats-2", lag=40), PeerInfo(name="nats-3", current=False))
    )
    assert describe(got) == "nats-1 (nats-2 behind 40, nats-3 not current)"


def test_during_an_election_there_is_no_leader():
    got = placement(cluster(None, PeerInfo(name="nats-2", current=True)))
    assert got is not None and got.leader is None
    assert describe(got) == "no leader (nats-2)"


def test_a_single_copy_cluster_stream_shows_its_leader_alone():
    assert describe(placement(cluster("nats-3"))) == "nats-3"
