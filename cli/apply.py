"""`upmon apply -f FILE [--dry-run] [--prune]`: make the stack match a declared file
of channels, monitors, status pages and maintenance windows. Secrets can be written
as `${ENV:NAME}` or `{"from_env": "NAME"}`: they are read from this environment here,
and only their values reach the stack."""

from __future__ import annotations

import argparse
import os

from cli.main import CliError
from cli.monitors import _format_of, _on_postgres, _parse, _public_and_keyring, _read

SIGNS = {"create": "+", "update": "~", "delete": "-"}


def render(report) -> str:
    lines = []
    for c in report.changes:
        fields = f" ({', '.join(c.fields)})" if c.fields else ""
        lines.append(f"{SIGNS[c.action]} {c.kind.replace('_', ' ')} {c.key}{fields}")
    if not report.changes:
        lines.append("no changes: the stack matches the file")
    verb = "would be" if report.dry_run else ""
    summary = (
        f"{report.created} {verb} created, {report.updated} {verb} updated,"
        f" {report.deleted} {verb} deleted, {report.unchanged} unchanged"
    )
    lines.append(("dry run: " if report.dry_run else "") + " ".join(summary.split()))
    return "\n".join(lines)


def cmd_apply(args: argparse.Namespace) -> None:
    from services.api import config_apply

    doc = _parse(_read(args.file), _format_of(args.file, None))
    doc, errors = config_apply.resolve_env(doc, dict(os.environ))
    if errors:
        raise CliError("; ".join(f"{e.field}: {e.message}" for e in errors))
    public, keyring = _public_and_keyring(args)
    report = _on_postgres(
        args,
        lambda conn: config_apply.apply(
            conn, doc, keyring, public, dry_run=args.dry_run, prune=args.prune
        ),
    )
    print(render(report))


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "apply",
        help="make the stack match a file of channels, monitors, status pages, maintenance",
        description="Create, update (and with --prune delete) what a YAML or JSON file"
        " declares, keyed by name (slug for status pages), in one transaction.",
    )
    p.add_argument("-f", "--file", required=True, help="a .yaml, .yml or .json file, or -")
    p.add_argument("--dry-run", action="store_true", help="print the changes; store nothing")
    p.add_argument("--prune", action="store_true", help="delete what the file does not declare")
    p.set_defaults(func=cmd_apply)
