"""Handing JetStream leaders over, to even out what each node leads (balance) or to
empty nodes before their maintenance (drain): `upmon leaders` and the api's
ops/leaders. The plans are shared/placement's; these are the effects around them:
reading every group, sampling its traffic, and one election at a time, each awaited
through the server's own advisory."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import msgspec

from shared import placement
from shared.placement import Group, Move, Plan, balance, drain, group_of

SAMPLE_S = 5.0
# A longer sample holds the request (and an operator) for little more precision.
SAMPLE_MAX_S = 60.0
SampleSeconds = Annotated[float, msgspec.Meta(ge=0, le=SAMPLE_MAX_S)]


def sample_seconds(text: str) -> float:
    """A sample length as typed (a query parameter, a CLI flag); ValueError says why not."""
    try:
        value = float(text)
    except ValueError:
        raise ValueError("a number of seconds") from None
    try:
        return msgspec.convert(value, SampleSeconds)
    except msgspec.ValidationError:
        raise ValueError(f"between 0 and {SAMPLE_MAX_S:g} seconds") from None


ELECTION_TIMEOUT_S = 15.0
RETRY_AFTER_S = 1.0


class NodeLoad(msgspec.Struct):
    name: str
    leads: int
    # Messages a second through the groups it leads.
    rate: float


class LeaderReport(msgspec.Struct, kw_only=True):
    nodes: list[NodeLoad]
    moves: list[Move] = []
    stuck: list[str] = []
    # Moves that did not end with the leader where it was asked to be.
    failed: list[str] = []
    # NATS is one server: it leads everything, and there is nothing to move.
    single: bool = False
    # Per node online, the groups of which its copy is not caught up: no leader can
    # move to it there until it is.
    behind: dict[str, int] = {}


@dataclass
class Snapshot:
    groups: list[Group]
    # Each group's message counter (stored, or delivered), by label.
    counters: dict[str, int]
    nodes: set[str]
    offline: set[str]
    # Groups of which a node online holds a copy that is not caught up.
    behind: Counter[str]


async def _snapshot(js: Any) -> Snapshot:
    seen = Snapshot([], {}, set(), set(), Counter())
    for info in await js.streams_info():
        name = info.config.name
        parts = [(info.cluster, "", info.state.last_seq or 0)]
        for c in await js.consumers_info(name):
            # An ephemeral consumer (a watcher's) is one copy, gone with its client.
            if c.config.durable_name:
                parts.append((c.cluster, c.name, c.delivered.consumer_seq if c.delivered else 0))
        for cluster, consumer, counter in parts:
            g = group_of(cluster, name, consumer)
            if g is None:
                continue
            seen.groups.append(g)
            seen.counters[g.label] = counter
            for peer in map(placement.peer, cluster.replicas or []):
                seen.nodes.add(peer.name)
                if peer.lost:
                    seen.offline.add(peer.name)
                elif peer.name not in g.candidates:
                    seen.behind[peer.name] += 1
            if g.leader:
                seen.nodes.add(g.leader)
    return seen


async def measure(js: Any, sample_s: float) -> Snapshot:
    """The groups with their rates over `sample_s`."""
    started = time.monotonic()
    seen = before = await _snapshot(js)
    if sample_s and seen.groups:
        await asyncio.sleep(sample_s)
        seen = await _snapshot(js)
        took = time.monotonic() - started
        for g in seen.groups:
            counted = seen.counters[g.label] - before.counters.get(g.label, seen.counters[g.label])
            g.rate = max(counted, 0) / took
    return seen


def online(seen: Snapshot) -> list[str]:
    return sorted(seen.nodes - seen.offline)


async def hand_over(js: Any, move: Move) -> str | None:
    """Step the group's leader down in favour of `move.to`: None once it leads, else why
    not (the server refused, or another copy won the election)."""
    nc = js._nc
    if move.consumer:
        what = f"CONSUMER.LEADER.STEPDOWN.{move.stream}.{move.consumer}"
        elected = f"$JS.EVENT.ADVISORY.CONSUMER.LEADER_ELECTED.{move.stream}.{move.consumer}"
    else:
        what = f"STREAM.LEADER.STEPDOWN.{move.stream}"
        elected = f"$JS.EVENT.ADVISORY.STREAM.LEADER_ELECTED.{move.stream}"
    sub = await nc.subscribe(elected)
    try:
        body = json.dumps({"placement": {"preferred": move.to}}).encode()
        reply = json.loads((await nc.request(f"{js._prefix}.{what}", body, timeout=10)).data)
        if "error" in reply:
            return reply["error"].get("description", "refused")
        deadline = time.monotonic() + ELECTION_TIMEOUT_S
        while (left := deadline - time.monotonic()) > 0:
            won = json.loads((await sub.next_msg(timeout=left)).data).get("leader")
            if won == move.to:
                return None
        return f"no election won by {move.to} within {ELECTION_TIMEOUT_S:g} s"
    except TimeoutError:
        return f"no answer within {ELECTION_TIMEOUT_S:g} s"
    except ValueError:
        return "an answer that is not JSON"
    finally:
        await sub.unsubscribe()


def _nodes(groups: list[Group], nodes: list[str]) -> list[NodeLoad]:
    def led(n: str) -> list[Group]:
        return [g for g in groups if g.leader == n]

    return [NodeLoad(n, len(led(n)), round(sum(g.rate for g in led(n)), 1)) for n in nodes]


NodeName = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]


class LeaderOrder(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What to do: show what each node leads, balance it, or drain nodes."""

    action: Literal["show", "balance", "drain"] = "show"
    # The nodes to empty, for drain.
    nodes: Annotated[list[NodeName], msgspec.Meta(max_length=16)] = []
    # Seconds to count each group's messages over; 0 counts groups only.
    sample_s: SampleSeconds = SAMPLE_S
    # Plan the moves and report them, make none.
    dry_run: bool = False


class Refused(ValueError):
    """An order this cluster cannot carry out; `field` names the part of it at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


async def carry_out(js: Any, order: LeaderOrder) -> LeaderReport:
    seen = await measure(js, 0)
    _refuse(order, seen)
    if not seen.groups:
        return LeaderReport(nodes=[], single=True)
    if order.sample_s:
        seen = await measure(js, order.sample_s)
    plan = _plan(order, seen)
    failed = []
    if not order.dry_run:
        for move in plan.moves:
            if why := await _hand_over_twice(js, move):
                failed.append(f"{move.label} to {move.to}: {why}")
        if plan.moves:
            seen = _with_rates(await measure(js, 0), seen)
    return LeaderReport(
        nodes=_nodes(seen.groups, online(seen)),
        moves=plan.moves,
        stuck=plan.stuck,
        failed=failed,
        behind={n: count for n, count in seen.behind.items() if n not in seen.offline},
    )


async def _hand_over_twice(js: Any, move: Move) -> str | None:
    """A step-down's election may go to another copy, or come while the chosen one is
    catching up on the entries of the move before: once more, as an operator would."""
    if (why := await hand_over(js, move)) is None:
        return None
    await asyncio.sleep(RETRY_AFTER_S)
    if again := await hand_over(js, move):
        return f"{again} (tried twice; first: {why})" if again != why else f"{why} (tried twice)"
    return None


def _refuse(order: LeaderOrder, seen: Snapshot) -> None:
    if order.action == "drain" and not order.nodes:
        raise Refused("nodes", "name the nodes to drain")
    if order.action != "drain":
        if order.nodes:
            raise Refused("nodes", "nodes are for drain only")
        return
    if not seen.groups:
        raise Refused("nodes", "NATS is a single server: it has no other node to lead")
    nodes = online(seen)
    unknown = [n for n in order.nodes if n not in nodes]
    if unknown:
        names = ", ".join(map(repr, unknown))
        raise Refused("nodes", f"no node {names} online in the cluster: {', '.join(nodes)}")
    if set(order.nodes) >= set(nodes):
        raise Refused("nodes", "draining every node leaves no node to lead")


def _plan(order: LeaderOrder, seen: Snapshot) -> Plan:
    if order.action == "drain":
        return drain(seen.groups, set(order.nodes), online(seen))
    if order.action == "balance":
        return balance(seen.groups, online(seen))
    return Plan()


def _with_rates(now: Snapshot, sampled: Snapshot) -> Snapshot:
    """Where the leaders are now, with the rates sampled before the moves."""
    rates = {g.label: g.rate for g in sampled.groups}
    for g in now.groups:
        g.rate = rates.get(g.label, 0.0)
    return now
