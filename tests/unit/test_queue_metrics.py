"""Rendering the JetStream gauges: a durable's backlog per stream and consumer, each
copy's state on a cluster, nothing of ephemeral readers, and only `up 0` when the
listing failed."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from services.api.queue_metrics import render
from services.api.schemas import ConsumerStats, StreamStats
from shared.placement import Peer, Placement


def consumer(name: str, *, durable: bool = True, placement: Placement | None = None):
    return ConsumerStats(
        name=name,
        durable=durable,
        pending=7,
        ack_pending=3,
        redelivered=1,
        waiting=2,
        delivered_seq=10,
        ack_floor_seq=9,
        last_active=datetime(2027, 1, 1, tzinfo=UTC),
        placement=placement,
    )


def stream(name: str, consumers=(), placement: Placement | None = None) -> StreamStats:
    return StreamStats(
        name=name,
        subjects=[f"{name.lower()}.>"],
        messages=42,
        bytes=4096,
        first_seq=1,
        last_seq=42,
        consumers=list(consumers),
        placement=placement,
    )


def samples(text: str) -> dict[str, str]:
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return dict(line.rsplit(" ", 1) for line in lines)


def test_a_single_server_has_depths_and_backlogs_but_no_copies():
    text = render([stream("CHECKS", [consumer("executor-default")])], ["CHECKS", "RESULTS"])
    got = samples(text)
    group = 'stream="CHECKS",consumer="executor-default"'

    assert got["upmon_jetstream_up"] == "1"
    assert got['upmon_stream_messages{stream="CHECKS"}'] == "42"
    assert got['upmon_stream_bytes{stream="CHECKS"}'] == "4096"
    assert got[f"upmon_consumer_pending{{{group}}}"] == "7"
    assert got[f"upmon_consumer_ack_pending{{{group}}}"] == "3"
    assert got[f"upmon_consumer_redelivered{{{group}}}"] == "1"
    assert got[f"upmon_consumer_waiting_pulls{{{group}}}"] == "2"
    assert got[f"upmon_consumer_last_active_timestamp_seconds{{{group}}}"] == "1798761600.0"
    assert got['upmon_stream_missing{stream="CHECKS"}'] == "0"
    assert got['upmon_stream_missing{stream="RESULTS"}'] == "1"
    assert "upmon_jetstream_leader" not in text and "replica" not in text


def test_ephemeral_readers_are_left_out():
    text = render([stream("RESULTS", [consumer("Xq81jd", durable=False)])], ["RESULTS"])

    assert "Xq81jd" not in text and "upmon_consumer_" not in text


def test_each_copy_on_a_cluster_with_its_leader_state_and_lag():
    where = Placement(
        leader="nats-1",
        replicas=[
            Peer(name="nats-2", current=True, last_seen_s=0.2, state="caught_up"),
            Peer(name="nats-3", current=False, offline=True, lag=120, state="offline"),
        ],
    )
    electing = Placement(
        leader=None, replicas=[Peer(name="nats-1", current=True, state="caught_up")]
    )
    text = render([stream("RESULTS", [consumer("recorder", placement=electing)], where)], [])
    got = samples(text)
    at = 'stream="RESULTS",consumer=""'
    rec = 'stream="RESULTS",consumer="recorder"'

    assert got[f"upmon_jetstream_leaderless{{{at}}}"] == "0"
    assert got[f'upmon_jetstream_leader{{{at},node="nats-1"}}'] == "1"
    assert got[f'upmon_jetstream_replica_current{{{at},node="nats-2"}}'] == "1"
    assert got[f'upmon_jetstream_replica_offline{{{at},node="nats-2"}}'] == "0"
    assert got[f'upmon_jetstream_replica_current{{{at},node="nats-3"}}'] == "0"
    assert got[f'upmon_jetstream_replica_offline{{{at},node="nats-3"}}'] == "1"
    assert got[f'upmon_jetstream_replica_lag{{{at},node="nats-3"}}'] == "120"
    assert got[f'upmon_jetstream_replica_last_seen_seconds{{{at},node="nats-2"}}'] == "0.2"
    assert f'upmon_jetstream_replica_last_seen_seconds{{{at},node="nats-3"}}' not in got
    assert got[f"upmon_jetstream_leaderless{{{rec}}}"] == "1"
    assert not [k for k in got if k.startswith("upmon_jetstream_leader{") and rec in k]


def test_a_failed_listing_says_only_that_jetstream_is_down():
    text = render(None, ["CHECKS"])

    assert samples(text) == {"upmon_jetstream_up": "0"}


def test_one_help_and_type_per_family_before_its_samples():
    text = render([stream("A", [consumer("a")]), stream("B", [consumer("b")])], ["A", "B"])
    lines = text.splitlines()
    types = [line.split()[2] for line in lines if line.startswith("# TYPE")]

    assert len(types) == len(set(types))
    for name in types:
        rows = [i for i, line in enumerate(lines) if re.match(rf"{name}[{{ ]", line)]
        assert lines[rows[0] - 1] == f"# TYPE {name} gauge"
        assert rows == list(range(rows[0], rows[0] + len(rows))), name
