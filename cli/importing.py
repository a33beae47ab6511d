"""`upmon import --from uptime-kuma|gatus|healthchecks FILE [--dry-run]`: another
tool's export as upmon monitors and channels, through the api's own importer on
Postgres (same validation, same stores, one transaction)."""

from __future__ import annotations

import argparse

from cli.main import CliError
from cli.monitors import _format_of, _on_postgres, _parse, _public_and_keyring, _read

SOURCES = ("uptime-kuma", "gatus", "healthchecks")


def render(report) -> str:
    lines = []
    for c in report.channels:
        verb = "would create" if report.dry_run else "created"
        lines.append(f"channel  {verb}  {c.kind:<9} {c.name}" + (f"  ({c.id})" if c.id else ""))
    width = max((len(i.source) for i in report.items), default=0)
    for i in report.items:
        if i.outcome == "not mappable":
            lines.append(f"monitor  not mappable  {i.source:<{width}}  {i.reason}")
            continue
        extra = f"  {i.monitor_id}" if i.monitor_id else ""
        extra += f"  push: {i.push_url}" if i.push_url else ""
        lines.append(f"monitor  {i.outcome}  {i.kind:<9} {i.source:<{width}}{extra}")
        lines += [f"         note: {n}" for n in i.notes]
    lines += [f"skipped  {s}" for s in report.skipped]
    mapped = len(report.items) - report.not_mappable
    if report.dry_run:
        lines.append(f"dry run: {mapped} would be created, {report.not_mappable} not mappable")
    else:
        lines.append(f"{report.created} created, {report.not_mappable} not mappable")
    return "\n".join(lines)


def cmd_import(args: argparse.Namespace) -> None:
    from services.api import importing

    doc = _parse(_read(args.file), _format_of(args.file, None))
    public, keyring = _public_and_keyring(args)
    report = _on_postgres(
        args, lambda conn: importing.run(conn, args.source, doc, public, keyring, args.dry_run)
    )
    print(render(report))
    if not report.items:
        raise CliError("the file holds no monitors")


def register(sub: argparse._SubParsersAction) -> None:
    imp = sub.add_parser(
        "import",
        help="import monitors from Uptime Kuma, Gatus or Healthchecks",
        description="Create monitors (and channels) from another tool's export: every item"
        " that maps, or nothing. Items that cannot map are listed with the reason.",
    )
    imp.add_argument("--from", dest="source", required=True, choices=SOURCES)
    imp.add_argument(
        "file", help="Kuma's backup .json, Gatus' config .yaml, Healthchecks' check list .json"
    )
    imp.add_argument("--dry-run", action="store_true", help="report only; store nothing")
    imp.set_defaults(func=cmd_import)
