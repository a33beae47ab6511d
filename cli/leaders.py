"""`upmon leaders`: how much of a JetStream cluster's work each node leads, and handing
leaders over, to even it out (--balance) or to empty a node before its maintenance
(--drain). The work is shared/leadership's, which the api's ops/leaders uses too."""

from __future__ import annotations

import argparse

import msgspec

from cli.main import CliError, run_async, settings_for
from shared.leadership import (
    SAMPLE_S,
    LeaderOrder,
    LeaderReport,
    Refused,
    carry_out,
    sample_seconds,
)


async def leaders(settings, args: argparse.Namespace) -> LeaderReport:
    from cli.replay import jetstream

    action = "drain" if args.drain else "balance" if args.balance else "show"
    order = LeaderOrder(
        action=action, nodes=args.drain or [], sample_s=args.sample, dry_run=args.dry_run
    )
    async with jetstream(settings) as js:
        try:
            return await carry_out(js, order)
        except Refused as exc:
            raise CliError(str(exc)) from None


def render(report: LeaderReport, dry_run: bool = False) -> str:
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
        return sample_seconds(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not {exc}") from None


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
