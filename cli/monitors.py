"""`upmon monitors list|add|import|export`, on Postgres through the same functions
the api uses, so the rules (validation, outbox events, all-or-nothing) are the same."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

from cli.main import CliError, on_postgres, settings_for
from shared.kinds import KINDS

if TYPE_CHECKING:
    from services.api.problems import ApiError
    from services.api.schemas import MonitorView

T = TypeVar("T")
FORMATS = ("json", "yaml")


def _problem(exc: ApiError) -> str:
    p = exc.problem
    details = "; ".join(f"{e.field}: {e.message}" for e in p.errors)
    return f"refused, nothing stored: {details}" if details else p.detail


def _on_postgres(args: argparse.Namespace, work: Callable[[Any], Awaitable[T]]) -> T:
    from services.api.problems import ApiError

    try:
        return on_postgres(args, work)
    except ApiError as exc:
        raise CliError(_problem(exc)) from None


# -- list ---------------------------------------------------------------------------------


async def _all(conn, tag: str | None) -> list[MonitorView]:
    from services.api.stores import monitors as store

    found: list[MonitorView] = []
    after = None
    while True:
        views, after = await store.page(conn, public_url="", limit=500, tag=tag, after=after)
        found += views
        if after is None:
            return found


def _table(views: list[MonitorView]) -> str:
    if not views:
        return "no monitors"
    head = ("ID", "NAME", "KIND", "TARGET", "INTERVAL", "STATUS")
    rows = [head] + [
        (v.id, v.name, v.kind, v.target or "-", f"{v.interval_s}s", v.status) for v in views
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )


def cmd_list(args: argparse.Namespace) -> None:
    from services.api import monitor_secrets

    public, keyring = _public_and_keyring(args)
    views = _on_postgres(args, lambda conn: _all(conn, args.tag))
    views = [monitor_secrets.present(v, "admin", keyring, public) for v in views]
    if args.json:
        print(msgspec.json.encode(views).decode())
    else:
        print(_table(views))


# -- add, import, export ------------------------------------------------------------------

_FLAGS = {
    "name": "name",
    "kind": "kind",
    "target": "target",
    "interval": "interval_s",
    "timeout": "timeout_s",
    "region": "regions",
    "tag": "tags",
    "channel": "channel_ids",
    "failure_threshold": "failure_threshold",
    "success_threshold": "success_threshold",
}


def _read(source: str) -> bytes:
    try:
        return sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {source}: {exc.strerror}") from None


def _parse(raw: bytes, fmt: str | None) -> Any:
    from services.api.problems import ApiError
    from services.api.routes import monitors_io

    try:
        return monitors_io.parse(raw, fmt)  # type: ignore[arg-type]
    except ApiError as exc:
        raise CliError(exc.problem.detail) from None


def _add_doc(args: argparse.Namespace) -> dict:
    if args.json is not None:
        text = args.json
        doc = _parse(_read(text[1:]) if text.startswith("@") else text.encode(), "json")
        if not isinstance(doc, dict):
            raise CliError("--json must be one monitor object")
        return doc
    if not args.name or not args.kind:
        raise CliError("give --name and --kind (and usually --target), or --json")
    doc = {key: getattr(args, flag) for flag, key in _FLAGS.items()}
    doc = {k: v for k, v in doc.items() if v is not None}
    return doc | ({"paused": True} if args.paused else {})


def cmd_add(args: argparse.Namespace) -> None:
    from services.api.routes import monitors_io

    doc = _add_doc(args)
    public, keyring = _public_and_keyring(args)
    done = _on_postgres(
        args,
        lambda conn: monitors_io.import_docs(conn, [doc], public, keyring, label=lambda _: ""),
    )
    view = done.items[0]
    print(f"monitor {view.id} created ({view.name})")
    if view.push_url:
        print(f"push URL: {view.push_url}")


def _public_and_keyring(args: argparse.Namespace):
    from shared import config, sealing

    s = settings_for(args)
    try:
        return s.public_url, sealing.Keyring.from_settings(s)
    except config.ConfigError as exc:
        raise CliError(str(exc)) from None


def _format_of(path: str, given: str | None) -> str | None:
    if given:
        return given
    suffix = Path(path).suffix.lower()
    return {".json": "json", ".yaml": "yaml", ".yml": "yaml"}.get(suffix)


def cmd_import(args: argparse.Namespace) -> None:
    from services.api.routes import monitors_io

    docs = _parse(_read(args.file), _format_of(args.file, args.format))
    public, keyring = _public_and_keyring(args)
    done = _on_postgres(args, lambda conn: monitors_io.import_docs(conn, docs, public, keyring))
    print(f"imported {done.created} monitors")


def cmd_export(args: argparse.Namespace) -> None:
    from services.api.routes import monitors_io

    fmt = _format_of(args.output or "", args.format) or "json"
    _, keyring = _public_and_keyring(args)
    include = args.secrets == "include"
    items = _on_postgres(args, lambda conn: monitors_io.export_fields(conn, keyring, include))
    body = monitors_io.render(items, fmt)
    if not args.output or args.output == "-":
        sys.stdout.write(body.decode())
        return
    try:
        Path(args.output).write_bytes(body)
    except OSError as exc:
        raise CliError(f"cannot write {args.output}: {exc.strerror}") from None
    print(f"exported {len(items)} monitors to {args.output}", file=sys.stderr)


# -- parser -------------------------------------------------------------------------------


def _add_parser(monitors: argparse._SubParsersAction) -> None:
    add = monitors.add_parser(
        "add", help="create a monitor", description="Create one monitor from flags or --json."
    )
    add.add_argument("--json", metavar="BODY", help="the whole monitor as JSON, or @FILE")
    add.add_argument("--name")
    add.add_argument("--kind", choices=sorted(KINDS))
    add.add_argument("--target", help="URL, host:port or host, by kind")
    add.add_argument("--interval", type=int, metavar="SECONDS")
    add.add_argument("--timeout", type=float, metavar="SECONDS")
    add.add_argument("--region", action="append", help="repeat for several regions")
    add.add_argument("--tag", action="append", help="repeat for several tags")
    add.add_argument("--channel", action="append", metavar="ID", help="notify this channel")
    add.add_argument("--failure-threshold", type=int, metavar="N")
    add.add_argument("--success-threshold", type=int, metavar="N")
    add.add_argument("--paused", action="store_true", help="create it paused")
    add.set_defaults(func=cmd_add)


def register(sub: argparse._SubParsersAction) -> None:
    monitors = sub.add_parser("monitors", help="list, add, import or export monitors")
    actions = monitors.add_subparsers(dest="action", required=True)
    ls = actions.add_parser("list", help="every monitor with its status")
    ls.add_argument("--tag", help="only monitors with this tag")
    ls.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ls.set_defaults(func=cmd_list)
    _add_parser(actions)
    imp = actions.add_parser(
        "import", help="create monitors from a JSON or YAML list: all of them, or none"
    )
    imp.add_argument("file", help="a .json, .yaml or .yml file, or - for stdin")
    imp.add_argument("--format", choices=FORMATS, help="default: by file suffix")
    imp.set_defaults(func=cmd_import)
    exp = actions.add_parser("export", help="print every monitor as JSON or YAML")
    exp.add_argument("--format", choices=FORMATS, help="default: json")
    exp.add_argument("-o", "--output", help="write to this file instead of stdout")
    exp.add_argument(
        "--secrets",
        choices=("mask", "include"),
        default="mask",
        help="include: credentials in plaintext, so the file imports again (keep it safe)",
    )
    exp.set_defaults(func=cmd_export)
