"""`upmon dlq list|retry|discard|purge|report`: dead letters, straight from JetStream,
through the functions the api's /ops/dlq routes use (shared/dlq.py)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

import msgspec

from cli.main import CliError, run_async, settings_for
from cli.replay import jetstream, positive, when

if TYPE_CHECKING:
    from shared.dlq import DeadLetter, Filter, Outcome, Report

_ERROR_WIDTH = 60


def _columns(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )


def _table(items: list[DeadLetter]) -> str:
    if not items:
        return "no dead letters"
    head = ("ID", "FAILED_AT", "CONSUMER", "ATTEMPTS", "SUBJECT", "ERROR")
    return _columns(
        [head]
        + [
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
    )


def _filter(args: argparse.Namespace, dry_run: bool = False) -> Filter:
    from shared import dlq

    try:
        return msgspec.convert(
            {
                "ids": [args.id] if getattr(args, "id", None) else [],
                "all": getattr(args, "all", False),
                "subject": args.subject,
                "consumer": args.consumer,
                "error": args.error,
                "since": args.since,
                "until": args.until,
                "dry_run": dry_run,
            },
            dlq.Filter,
        )
    except msgspec.ValidationError as exc:
        raise CliError(f"bad filter: {exc}") from None


def cmd_list(args: argparse.Namespace) -> None:
    from shared import dlq

    async def go() -> list[DeadLetter]:
        async with jetstream(settings_for(args)) as js:
            items, _ = await dlq.page(js, 1, args.limit, _filter(args))
            return items

    items = run_async(go())
    if args.json:
        print("\n".join(msgspec.json.encode(d).decode() for d in items))
    else:
        print(_table(items))


def _say(done: Outcome, what: str) -> str:
    if done.dry_run:
        lines = [f"would {what} {done.matched} dead letter(s) (dry run, nothing changed)"]
        if done.ids:
            lines.append("ids: " + " ".join(done.ids))
        return "\n".join(lines)
    past = {"retry": "retried", "discard": "discarded", "purge": "purged"}[done.action]
    lines = [f"{past} {done.affected} of {done.matched} matching dead letter(s)"]
    lines += [f"  {seq}: not retried: {why}" for seq, why in done.failed.items()]
    return "\n".join(lines)


def _bulk(args: argparse.Namespace, action: str) -> None:
    from shared import dlq

    f = _filter(args, args.dry_run)
    if not (f.all or f.narrows()):
        raise CliError(f"say which dead letters to {action}: an ID, a filter, or --all")
    if args.id and not f.dry_run:
        print(_one(args, action))
        return

    async def go() -> Outcome:
        async with jetstream(settings_for(args)) as js:
            run = dlq.retry_matching if action == "retry" else dlq.discard_matching
            return await run(js, f)

    print(_say(run_async(go()), action))


def _one(args: argparse.Namespace, action: str) -> str:
    """One id: said so plainly when it is missing or cannot go back."""
    from shared import dlq

    async def go() -> dlq.Retried | bool | None:
        async with jetstream(settings_for(args)) as js:
            if action == "discard":
                return await dlq.discard(js, args.id)
            try:
                return await dlq.retry(js, args.id)
            except dlq.Unroutable as exc:
                raise CliError(f"dead letter {args.id} cannot be republished: {exc}") from None

    done = run_async(go())
    if not done:
        raise CliError(f"no dead letter with id {args.id}")
    if done is True:
        return f"dead letter {args.id} discarded"
    return f"dead letter {done.id} republished to {done.subject} ({done.stream} seq {done.seq})"


def cmd_retry(args: argparse.Namespace) -> None:
    _bulk(args, "retry")


def cmd_discard(args: argparse.Namespace) -> None:
    _bulk(args, "discard")


def cmd_purge(args: argparse.Namespace) -> None:
    from shared import dlq

    try:
        older = dlq.span(args.older_than)
    except ValueError as exc:
        raise CliError(f"--older-than: {exc}") from None

    async def go() -> Outcome:
        async with jetstream(settings_for(args)) as js:
            return await dlq.purge(js, older, args.dry_run)

    done = run_async(go())
    print(_say(done, "purge") if done.dry_run else f"purged {done.affected} dead letter(s)")


def render_report(r: Report) -> str:
    out = [f"{r.total} dead letter(s) held"]
    for w in r.windows:
        out.append(f"\nlast {w.window}: {w.total}")
        if w.reasons:
            head = ("COUNT", "CONSUMER", "ERROR CLASS", "LAST")
            rows = [
                (
                    str(x.count),
                    x.consumer,
                    x.error_class[:_ERROR_WIDTH],
                    x.last_at.strftime("%Y-%m-%d %H:%M:%S") if x.last_at else "-",
                )
                for x in w.reasons
            ]
            out.append(_columns([head, *rows]))
    return "\n".join(out)


def cmd_report(args: argparse.Namespace) -> None:
    from shared import dlq

    async def go() -> Report:
        async with jetstream(settings_for(args)) as js:
            return await dlq.report(js)

    done = run_async(go())
    print(msgspec.json.encode(done).decode() if args.json else render_report(done))


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--subject", help="original subject; NATS wildcards * and > work")
    p.add_argument("--consumer", help="the consumer that gave up, e.g. recorder")
    p.add_argument("--error", help="text the error contains (any case)")
    p.add_argument("--since", type=when, help="failed at or after: 2h, 7d or an RFC 3339 time")
    p.add_argument("--until", type=when, help="failed at or before: 2h, 7d or an RFC 3339 time")


def _bulk_parser(dlq, name: str, help_: str, func) -> None:
    p = dlq.add_parser(name, help=help_)
    p.add_argument("id", type=positive, nargs="?", help="one id, as `upmon dlq list` shows it")
    p.add_argument("--all", action="store_true", help="every dead letter (with filters: those)")
    _filters(p)
    p.add_argument("--dry-run", action="store_true", help="show what would be affected")
    p.set_defaults(func=func)


def register(sub: argparse._SubParsersAction) -> None:
    dlq = sub.add_parser("dlq", help="list, retry, discard or purge dead letters").add_subparsers(
        dest="action", required=True
    )
    ls = dlq.add_parser("list", help="dead letters, oldest first")
    ls.add_argument("--limit", type=positive, default=100, help="at most this many (100)")
    ls.add_argument("--json", action="store_true", help="one JSON object a line, with events")
    _filters(ls)
    ls.set_defaults(func=cmd_list)
    _bulk_parser(dlq, "retry", "publish dead letters to their original subject again", cmd_retry)
    _bulk_parser(dlq, "discard", "delete dead letters for good", cmd_discard)
    purge = dlq.add_parser("purge", help="drop dead letters held longer than a span")
    purge.add_argument("--older-than", required=True, help="a span: 7d, 12h, 30m")
    purge.add_argument("--dry-run", action="store_true", help="show what would be dropped")
    purge.set_defaults(func=cmd_purge)
    report = dlq.add_parser("report", help="top failure reasons, last 24 hours and 7 days")
    report.add_argument("--json", action="store_true", help="print JSON instead of tables")
    report.set_defaults(func=cmd_report)
