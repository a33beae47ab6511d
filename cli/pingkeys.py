"""`upmon pingkey create|list|revoke`: the ping keys a fleet of jobs pings by slug with."""

from __future__ import annotations

import argparse
import json
import sys
import uuid


def cmd_create(args: argparse.Namespace) -> None:
    from cli.main import CliError, on_postgres
    from services.api import ping_keys

    try:
        made = on_postgres(args, lambda conn: ping_keys.create(conn, args.name))
    except ValueError as exc:
        raise CliError(str(exc)) from None
    print(made.key)
    print(f"(ping key id {made.id}; shown once, only its hash is stored)", file=sys.stderr)


def cmd_list(args: argparse.Namespace) -> None:
    import msgspec

    from cli.main import on_postgres
    from services.api.stores.keys import PING_KEYS

    found = on_postgres(args, PING_KEYS.list_all)
    if args.json:
        print(json.dumps(msgspec.to_builtins(found), indent=2))
        return
    for k in found:
        state = f"revoked {k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "active"
        print(f"{k.id}  {k.prefix}...  {state:<22}  {k.name}")


def cmd_revoke(args: argparse.Namespace) -> None:
    from cli.main import CliError, on_postgres
    from services.api.stores.keys import PING_KEYS

    try:
        key_id = uuid.UUID(args.id)
    except ValueError:
        raise CliError(f"not a ping key id: {args.id!r}") from None
    if not on_postgres(args, lambda conn: PING_KEYS.revoke(conn, key_id)):
        raise CliError(f"no such ping key: {args.id}")
    print(f"revoked ping key {key_id}")


def register(sub: argparse._SubParsersAction, parser_class) -> None:
    group = sub.add_parser(
        "pingkey", help="manage ping keys (push by slug: /push/{ping_key}/{slug})"
    ).add_subparsers(dest="action", required=True, parser_class=parser_class)
    create = group.add_parser("create", help="create a ping key and print it once")
    create.add_argument("--name", required=True)
    create.set_defaults(func=cmd_create)
    ls = group.add_parser("list", help="every ping key (prefix, state, name; never the key)")
    ls.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ls.set_defaults(func=cmd_list)
    revoke = group.add_parser("revoke", help="revoke a ping key; its pings are refused at once")
    revoke.add_argument("id", help="the ping key's id (from `upmon pingkey list`)")
    revoke.set_defaults(func=cmd_revoke)
