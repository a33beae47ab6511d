"""`upmon leaders`: how much of a JetStream cluster's work each node leads, and handing
leaders over, to even it out (--balance) or to empty a node before its maintenance
(--drain). One election at a time, each awaited through the server's own advisory."""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import msgspec

from cli.main import CliError, run_async, settings_for
from shared.placement import Group, Move, Plan, balance, drain, group_of

SAMPLE_S = 5.0
ELECTION_TIMEOUT_S = 15.0


class NodeLoad(msgspec.Struct):
    name: str
    leads: int
    # Messages a second through the groups it leads.
    rate: float


class Report(msgspec.Struct, kw_only=True):
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
            for peer in cluster.replicas or []:
                seen.nodes.add(peer.name)
                if peer.offline:
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


async def leaders(settings: Any, args: argparse.Namespace) -> Report:
    from cli.replay import jetstream

    async with jetstream(settings) as js:
        seen = await measure(js, 0)
        _refuse(args, seen)
        if not seen.groups:
            return Report(nodes=[], single=True)
        if args.sample:
            seen = await measure(js, args.sample)
        plan = _plan(args, seen)
        failed = []
        if not args.dry_run:
            for move in plan.moves:
                if why := await hand_over(js, move):
                    failed.append(f"{move.label} to {move.to}: {why}")
            if plan.moves:
                seen = _with_rates(await measure(js, 0), seen)
    return Report(
        nodes=_nodes(seen.groups, online(seen)),
        moves=plan.moves,
        stuck=plan.stuck,
        failed=failed,
        behind=dict(seen.behind),
    )


def _refuse(args: argparse.Namespace, seen: Snapshot) -> None:
    if not args.drain:
        return
    if not seen.groups:
        raise CliError("NATS is a single server: it has no other node to lead")
    nodes = online(seen)
    unknown = [n for n in args.drain if n not in nodes]
    if unknown:
        names = ", ".join(map(repr, unknown))
        raise CliError(f"no node {names} online in the cluster: {', '.join(nodes)}")
    if set(args.drain) >= set(nodes):
        raise CliError("draining every node leaves no node to lead")


def _plan(args: argparse.Namespace, seen: Snapshot) -> Plan:
    if args.drain:
        return drain(seen.groups, set(args.drain), online(seen))
    if args.balance:
        return balance(seen.groups, online(seen))
    return Plan()


def _with_rates(now: Snapshot, sampled: Snapshot) -> Snapshot:
    """Where the leaders are now, with the rates sampled before the moves."""
    rates = {g.label: g.rate for g in sampled.groups}
    for g in now.groups:
        g.rate = rates.get(g.label, 0.0)
    return now


def render(report: Report, dry_run: bool = False) -> str:
    if report.single:
        return "NATS is a single server: it leads every stream and consumer, nothing to move"
    verb = "would move" if dry_run else "moved"
    out = [f"{verb} {m.label}: {m.source} -> {m.to}" for m in report.moves]
    out += [f"cannot move {s}: no other copy is online and caught up" for s in report.stuck]
    out += [f"did not move {f}" for f in report.failed]
    out += [
        f"{node} is not caught up on {n} group(s): no leader moves there until it is"
        for node, n in sorted(report.behind.items())
    ]
    table = [("NODE", "LEADS", "MSGS/S")] + [
        (n.name, str(n.leads), f"{n.rate:,.1f}") for n in report.nodes
    ]
    widths = [max(len(r[i]) for r in table) for i in range(3)]
    if out:
        out.append("")
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in table]
    return "\n".join(out)


def cmd_leaders(args: argparse.Namespace) -> None:
    report = run_async(leaders(settings_for(args), args))
    if args.json:
        print(msgspec.json.encode(report).decode())
    else:
        print(render(report, args.dry_run))
    if report.stuck or report.failed:
        raise CliError("some leaders were not moved (see above)")


def _sample(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 <= value <= 60:
        raise argparse.ArgumentTypeError("must be between 0 and 60 seconds")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "leaders", help="the work each NATS node leads; --balance or --drain NODE moves leaders"
    )
    what = p.add_mutually_exclusive_group()
    what.add_argument(
        "--balance",
        action="store_true",
        help="hand leaders over until each node leads a fair share",
    )
    what.add_argument(
        "--drain",
        metavar="NODE",
        action="append",
        help="hand every leader on NODE to another node (repeatable)",
    )
    p.add_argument(
        "--sample",
        type=_sample,
        default=SAMPLE_S,
        metavar="SECONDS",
        help=f"how long to count each group's messages (default {SAMPLE_S:g}; 0 counts groups)",
    )
    p.add_argument("--dry-run", action="store_true", help="print the moves, make none")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=cmd_leaders)
