"""`upmon dlq list|retry|discard`: dead letters, straight from JetStream, through
the functions the api's /ops/dlq routes use."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

import msgspec

from cli.main import CliError, run_async, settings_for
from cli.replay import jetstream, positive

if TYPE_CHECKING:
    from services.api.routes.ops_dlq import DeadLetter, Retried

_ERROR_WIDTH = 60


async def _list(url: str, limit: int) -> list[DeadLetter]:
    from services.api.routes import ops_dlq

    async with jetstream(url) as js:
        items, _ = await ops_dlq.page(js, 1, limit)
        return items


def _table(items: list[DeadLetter]) -> str:
    if not items:
        return "no dead letters"
    head = ("ID", "FAILED_AT", "CONSUMER", "ATTEMPTS", "SUBJECT", "ERROR")
    rows = [head] + [
        (
            d.id,
            d.failed_at.strftime("%Y-%m-%d %H:%M:%S") if d.failed_at else "-",
            d.consumer or "-",
            str(d.attempts or "-"),
            d.subject,
            (d.error or "-")[:_ERROR_WIDTH],
        )
        for d in items
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )


def cmd_list(args: argparse.Namespace) -> None:
    items = run_async(_list(settings_for(args).nats_url, args.limit))
    if args.json:
        print("\n".join(msgspec.json.encode(d).decode() for d in items))
    else:
        print(_table(items))


async def _retry(url: str, seq: int) -> Retried | None:
    from services.api.routes import ops_dlq

    async with jetstream(url) as js:
        try:
            return await ops_dlq.retry(js, seq)
        except ops_dlq.Unroutable as exc:
            raise CliError(f"dead letter {seq} cannot be republished: {exc}") from None


def cmd_retry(args: argparse.Namespace) -> None:
    done = run_async(_retry(settings_for(args).nats_url, args.id))
    if done is None:
        raise CliError(f"no dead letter with id {args.id}")
    print(f"dead letter {done.id} republished to {done.subject} ({done.stream} seq {done.seq})")


async def _discard(url: str, seq: int) -> bool:
    from services.api.routes import ops_dlq

    async with jetstream(url) as js:
        return await ops_dlq.discard(js, seq)


def cmd_discard(args: argparse.Namespace) -> None:
    if not run_async(_discard(settings_for(args).nats_url, args.id)):
        raise CliError(f"no dead letter with id {args.id}")
    print(f"dead letter {args.id} discarded")


def register(sub: argparse._SubParsersAction) -> None:
    dlq = sub.add_parser("dlq", help="list, retry or discard dead letters").add_subparsers(
        dest="action", required=True
    )
    ls = dlq.add_parser("list", help="dead letters, oldest first")
    ls.add_argument("--limit", type=positive, default=100, help="at most this many (100)")
    ls.add_argument("--json", action="store_true", help="one JSON object a line, with events")
    ls.set_defaults(func=cmd_list)
    retry = dlq.add_parser("retry", help="publish a dead letter to its original subject again")
    retry.add_argument("id", type=positive, help="its id, as `upmon dlq list` shows it")
    retry.set_defaults(func=cmd_retry)
    discard = dlq.add_parser("discard", help="delete a dead letter for good")
    discard.add_argument("id", type=positive, help="its id, as `upmon dlq list` shows it")
    discard.set_defaults(func=cmd_discard)
