"""Where a stream's or consumer's copies sit on a JetStream cluster: its leader and each
other replica's state. The api's ops/queues and `upmon queues` both show it, so an
operator sees the node that leads the most (the busiest) and a copy that fell behind."""

from __future__ import annotations

from typing import Any

import msgspec


class Peer(msgspec.Struct, kw_only=True):
    name: str
    # Caught up with the leader: a copy that is not cannot be elected until it is.
    current: bool
    offline: bool = False
    # Operations it is behind the leader.
    lag: int = 0


class Placement(msgspec.Struct, kw_only=True):
    # None while an election is under way.
    leader: str | None
    replicas: list[Peer] = []


def placement(cluster: Any) -> Placement | None:
    """From nats-py's ClusterInfo (None on a server outside any cluster)."""
    if cluster is None or not cluster.name:
        return None
    peers = [
        Peer(name=p.name or "?", current=bool(p.current), offline=bool(p.offline), lag=p.lag or 0)
        for p in cluster.replicas or []
    ]
    return Placement(leader=cluster.leader or None, replicas=sorted(peers, key=lambda p: p.name))


def describe(where: Placement | None) -> str:
    """One line for tables, e.g. `nats-2 (nats-1, nats-3 offline)`; `-` outside a cluster."""
    if where is None:
        return "-"
    others = ", ".join(p.name + _state(p) for p in where.replicas)
    leader = where.leader or "no leader"
    return f"{leader} ({others})" if others else leader


def _state(peer: Peer) -> str:
    if peer.offline:
        return " offline"
    if peer.current:
        return ""
    return f" behind {peer.lag}" if peer.lag else " not current"
