"""Where a stream's or consumer's copies sit on a JetStream cluster: its leader and each
other replica's state. The api's ops/queues and `upmon queues` both show it, so an
operator sees which node leads what, and a copy that fell behind."""

from __future__ import annotations

from typing import Any, Literal

import msgspec

# Leaders hear from their copies several times a second: this long a silence is a node
# that is down or cut off, not one that is slow.
UNHEARD_S = 10.0

# What is wrong with a copy, worst first; every view (api, CLI, console, leader moves)
# reads this rather than judging the raw fields itself.
CopyState = Literal["offline", "unreachable", "behind", "not_current", "caught_up"]


def copy_state(*, offline: bool, current: bool, lag: int, last_seen_s: float | None) -> CopyState:
    if offline:
        return "offline"
    if last_seen_s is not None and last_seen_s >= UNHEARD_S:
        return "unreachable"
    if current:
        return "caught_up"
    return "behind" if lag else "not_current"


class Peer(msgspec.Struct, kw_only=True):
    name: str
    # Caught up with the leader: a copy that is not cannot be elected until it is.
    current: bool
    offline: bool = False
    # Operations it is behind the leader.
    lag: int = 0
    # Seconds since the leader last heard from it. A killed node is seldom marked
    # offline (it may come back): this grows instead, from the leader's heartbeats.
    last_seen_s: float | None = None
    # The verdict on the fields above: offline and unreachable copies are lost to
    # their group until they come back.
    state: CopyState

    @property
    def lost(self) -> bool:
        return self.state in ("offline", "unreachable")


class Placement(msgspec.Struct, kw_only=True):
    # None while an election is under way.
    leader: str | None
    replicas: list[Peer] = []


def placement(cluster: Any) -> Placement | None:
    """From nats-py's ClusterInfo (None on a server outside any cluster)."""
    if cluster is None or not cluster.name:
        return None
    peers = [peer(p) for p in cluster.replicas or []]
    return Placement(leader=cluster.leader or None, replicas=sorted(peers, key=lambda p: p.name))


def peer(info: Any) -> Peer:
    """From nats-py's PeerInfo."""
    fields = dict(
        current=bool(info.current),
        offline=bool(info.offline),
        lag=info.lag or 0,
        # nats-py hands the server's nanoseconds on as they came.
        last_seen_s=round(info.active / 1e9, 3) if info.active else None,
    )
    return Peer(name=info.name or "?", state=copy_state(**fields), **fields)


def describe(where: Placement | None) -> str:
    """One line for tables, e.g. `nats-2 (nats-1, nats-3 offline)`; `-` outside a cluster."""
    if where is None:
        return "-"
    others = ", ".join(p.name + _state(p) for p in where.replicas)
    leader = where.leader or "no leader"
    return f"{leader} ({others})" if others else leader


def _state(peer: Peer) -> str:
    match peer.state:
        case "caught_up":
            return ""
        case "unreachable":
            return f" unreachable {peer.last_seen_s:.0f}s"
        case "behind":
            return f" behind {peer.lag}"
        case other:
            return " " + other.replace("_", " ")


# -- moving leaders ----------------------------------------------------------------------
# Raft groups elect leaders where they happen to, so one node can end up leading most of
# the busy groups, and a leader does more of a group's work than its other copies. These
# decide which leaders to hand over (`upmon leaders`); the step-downs are the caller's.


def label(stream: str, consumer: str) -> str:
    return f"{stream}/{consumer}" if consumer else stream


class Group(msgspec.Struct, kw_only=True):
    """One Raft group: a stream (consumer "") or a consumer of it."""

    stream: str
    consumer: str = ""
    leader: str | None
    # Copies a leader can be handed to: online and caught up.
    candidates: list[str] = []
    # Messages a second it handled in the sample (stored, or delivered).
    rate: float = 0.0

    @property
    def label(self) -> str:
        return label(self.stream, self.consumer)


class Move(msgspec.Struct, kw_only=True):
    stream: str
    consumer: str = ""
    source: str
    to: str

    @property
    def label(self) -> str:
        return label(self.stream, self.consumer)


class Plan(msgspec.Struct, kw_only=True):
    moves: list[Move] = []
    # Groups that must move (a drain) but have no copy to take over.
    stuck: list[str] = []


# An idle group weighs as one message a second, so an idle cluster balances by count.
IDLE_WEIGHT = 1.0
# A move that lowers the busier node by less than this share of a node's fair share is
# not worth the election it costs (a moment without a leader).
MIN_GAIN = 0.05


def weight(group: Group) -> float:
    return max(group.rate, IDLE_WEIGHT)


def group_of(cluster: Any, stream: str, consumer: str = "", rate: float = 0.0) -> Group | None:
    """A Group from nats-py's ClusterInfo; None outside a cluster."""
    where = placement(cluster)
    if where is None:
        return None
    ready = [p.name for p in where.replicas if p.state == "caught_up"]
    return Group(stream=stream, consumer=consumer, leader=where.leader, candidates=ready, rate=rate)


def loads(groups: list[Group], nodes: list[str]) -> dict[str, float]:
    """The weight each node leads: what `upmon leaders` lists and the plans even out."""
    load = dict.fromkeys(nodes, 0.0)
    for g in groups:
        if g.leader in load:
            load[g.leader] += weight(g)
    return load


def balance(groups: list[Group], nodes: list[str]) -> Plan:
    """Hand leaders over until no move evens the load further; each group moves at most
    once, so a plan costs at most one election per group. Greedy: each step takes the
    move that narrows the widest gap most (the largest fall in the sum of squared loads)
    among those that lower the busier node of the pair by a share worth an election."""
    load = loads(groups, nodes)
    worth = MIN_GAIN * sum(load.values()) / max(len(load), 1)
    movable = [g for g in groups if g.leader in load]
    moves: list[Move] = []
    while True:
        options = [
            (_evening(load, g, to), g.label, to, g)
            for g in movable
            for to in g.candidates
            if to in load and _relief(load, g, to) >= worth
        ]
        best = max(options, key=lambda o: o[:3], default=None)
        if best is None or best[0] <= 0:
            return Plan(moves=moves)
        moves.append(_move(load, best[3], best[2]))
        movable.remove(best[3])


def drain(groups: list[Group], out: set[str], nodes: list[str]) -> Plan:
    """Every leader off the nodes `out`, each to the least loaded copy ready to take it
    on a node that stays."""
    load = loads(groups, [n for n in nodes if n not in out])
    plan = Plan()
    for g in sorted((g for g in groups if g.leader in out), key=weight, reverse=True):
        ready = [to for to in g.candidates if to in load]
        if not ready:
            plan.stuck.append(g.label)
            continue
        to = min(ready, key=lambda n: (load[n], n))
        plan.moves.append(_move(load, g, to))
    return plan


def _evening(load: dict[str, float], g: Group, to: str) -> float:
    w = weight(g)
    return 2 * w * (load[g.leader or ""] - load[to] - w)


def _relief(load: dict[str, float], g: Group, to: str) -> float:
    src, w = g.leader or "", weight(g)
    return max(load[src], load[to]) - max(load[src] - w, load[to] + w)


def _move(load: dict[str, float], g: Group, to: str) -> Move:
    src, w = g.leader or "", weight(g)
    if src in load:
        load[src] -= w
    load[to] += w
    return Move(stream=g.stream, consumer=g.consumer, source=src, to=to)
