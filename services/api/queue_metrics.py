"""JetStream gauges in the Prometheus text format: each stream's depth, each durable
consumer's backlog, and on a cluster where every copy sits and whether it keeps up.

What `upmon queues` and ops/queues show, for alert rules (deploy/prometheus/). Pure:
ops.read_queues reads, this renders. Watchers' ephemeral consumers are left out: their
names are the server's, new on every start, and would only churn series."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from services.api.monitor_metrics import escape
from services.api.schemas import StreamStats
from shared.placement import Placement

FAMILIES = {
    "upmon_jetstream_up": "1 when the JetStream API answered the read behind this body, else 0.",
    "upmon_stream_missing": "1 when a stream upmon needs is not listed: deleted, or no leader"
    " answered for it.",
    "upmon_stream_messages": "Messages stored in the stream.",
    "upmon_stream_bytes": "Bytes stored in the stream.",
    "upmon_consumer_pending": "Messages of the stream the consumer has not been handed yet.",
    "upmon_consumer_ack_pending": "Messages handed to the consumer's clients, not yet acked.",
    "upmon_consumer_redelivered": "Messages handed out more than once and not yet acked.",
    "upmon_consumer_waiting_pulls": "Pull requests the consumer's clients have waiting.",
    "upmon_consumer_last_active_timestamp_seconds": "When the consumer last handed out a"
    " message (Unix time).",
    "upmon_jetstream_leaderless": "1 while the stream's or consumer's Raft group has no leader"
    " (consumer is empty for a stream).",
    "upmon_jetstream_leader": "1 on the node that leads the stream or consumer.",
    "upmon_jetstream_replica_current": "1 when the copy on the node is caught up with the"
    " leader, 0 when it is not and could not take over.",
    "upmon_jetstream_replica_offline": "1 when the node holding the copy is not reachable.",
    "upmon_jetstream_replica_lag": "Operations the copy on the node is behind the leader.",
    "upmon_jetstream_replica_last_seen_seconds": "Seconds since the leader last heard from"
    " the copy on the node; it grows while the node is down.",
}


def render(streams: Iterable[StreamStats] | None, expected: Iterable[str]) -> str:
    """None: the listing failed, so only `upmon_jetstream_up 0` is known."""
    samples: dict[str, list[str]] = {name: [] for name in FAMILIES}
    samples["upmon_jetstream_up"].append(f" {0 if streams is None else 1}")
    listed = {s.name: s for s in streams or []}
    if streams is not None:
        for name in expected:
            missing = int(name not in listed)
            samples["upmon_stream_missing"].append(f'{{stream="{escape(name)}"}} {missing}')
    for s in sorted(listed.values(), key=lambda s: s.name):
        _stream(samples, s)
    return "".join(_families(samples))


def _stream(samples: dict[str, list[str]], s: StreamStats) -> None:
    labels = f'stream="{escape(s.name)}"'
    samples["upmon_stream_messages"].append(f"{{{labels}}} {s.messages}")
    samples["upmon_stream_bytes"].append(f"{{{labels}}} {s.bytes}")
    _placement(samples, f'{labels},consumer=""', s.placement)
    for c in s.consumers:
        if not c.durable:
            continue
        group = f'{labels},consumer="{escape(c.name)}"'
        samples["upmon_consumer_pending"].append(f"{{{group}}} {c.pending}")
        samples["upmon_consumer_ack_pending"].append(f"{{{group}}} {c.ack_pending}")
        samples["upmon_consumer_redelivered"].append(f"{{{group}}} {c.redelivered}")
        samples["upmon_consumer_waiting_pulls"].append(f"{{{group}}} {c.waiting}")
        if c.last_active is not None:
            at = c.last_active.timestamp()
            samples["upmon_consumer_last_active_timestamp_seconds"].append(f"{{{group}}} {at}")
        _placement(samples, group, c.placement)


def _placement(samples: dict[str, list[str]], group: str, where: Placement | None) -> None:
    # Outside a cluster there are no copies to report, and no election to wait for.
    if where is None:
        return
    samples["upmon_jetstream_leaderless"].append(f"{{{group}}} {int(where.leader is None)}")
    if where.leader:
        samples["upmon_jetstream_leader"].append(f'{{{group},node="{escape(where.leader)}"}} 1')
    for peer in where.replicas:
        at = f'{{{group},node="{escape(peer.name)}"}}'
        samples["upmon_jetstream_replica_current"].append(f"{at} {int(peer.current)}")
        samples["upmon_jetstream_replica_offline"].append(f"{at} {int(peer.offline)}")
        samples["upmon_jetstream_replica_lag"].append(f"{at} {peer.lag}")
        if peer.last_seen_s is not None:
            samples["upmon_jetstream_replica_last_seen_seconds"].append(f"{at} {peer.last_seen_s}")


def _families(samples: dict[str, list[str]]) -> Iterator[str]:
    for name, help_text in FAMILIES.items():
        if not samples[name]:
            continue
        yield f"# HELP {name} {help_text}\n# TYPE {name} gauge\n"
        for sample in samples[name]:
            yield f"{name}{sample}\n"
