"""The `upmon` command line. Every command has --help; bad arguments exit non-zero
with a one-line reason. Commands run from the project folder act on the stack
that `upmon up` started there (its settings are in .upmon/stack.env)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import importlib
import os
import re
import sys
from pathlib import Path

from shared import config

SERVICE_NAMES = ("scheduler", "executor", "recorder", "notifier", "api")


class CliError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""


def data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir or os.environ.get("UPMON_DATA_DIR") or ".upmon")


def settings_for(args: argparse.Namespace) -> config.Settings:
    """Environment first, then the running stack's file, then defaults."""
    from stack.supervisor import read_stack_file

    env = {**read_stack_file(data_dir(args)), **os.environ}
    try:
        return config.load(env)
    except config.ConfigError as exc:
        raise CliError(str(exc)) from None


def run_async(coro):
    try:
        return asyncio.run(coro)
    except (OSError, ConnectionError) as exc:
        raise CliError(f"cannot reach the stack: {exc} (is `upmon up` running?)") from None


@contextlib.asynccontextmanager
async def postgres(settings: config.Settings, timeout: float = 60):
    """One connection to the stack's Postgres; one that cannot be had is a message."""
    import asyncpg

    try:
        conn = await asyncpg.connect(settings.pg_dsn, timeout=timeout)
    except (OSError, asyncpg.PostgresError) as exc:
        raise CliError(
            f"cannot reach the stack's Postgres: {exc} (is `upmon up` running?)"
        ) from None
    try:
        yield conn
    finally:
        await conn.close()


def on_postgres(args: argparse.Namespace, work):
    """`work(conn)` on one connection to the Postgres of the stack `args` names."""
    settings = settings_for(args)

    async def go():
        async with postgres(settings) as conn:
            return await work(conn)

    return run_async(go())


# -- commands ------------------------------------------------------------------------


def cmd_service(args: argparse.Namespace) -> None:
    module = importlib.import_module(f"services.{args.name}.main")
    try:
        module.run()
    except config.ConfigError as exc:
        # A missing or malformed setting (such as UPMON_SECRET_KEY) is one line, not a traceback.
        raise CliError(str(exc)) from None


def cmd_migrate(args: argparse.Namespace) -> None:
    from shared import clickhouse, db

    s = settings_for(args)

    async def go() -> None:
        pg = await db.migrate(s.pg_dsn, s)
        ch = await clickhouse.migrate(s)
        print(f"postgres: {len(pg)} applied; clickhouse: {len(ch)} applied")

    run_async(go())


def cmd_apikey_create(args: argparse.Namespace) -> None:
    from services.api.keys import create_api_key

    made = on_postgres(args, lambda conn: create_api_key(conn, args.name, args.scope))
    print(made.key)
    print(
        f"(key id {made.id}, scope {args.scope}; shown once, only its hash is stored)",
        file=sys.stderr,
    )


def cmd_queues(args: argparse.Namespace) -> None:
    from cli.queues import queue_rows, render

    s = settings_for(args)
    rows = run_async(queue_rows(s))
    print(render(rows, as_json=args.json))


def cmd_up(args: argparse.Namespace) -> None:
    from cli.up import up

    up(args)


# -- parser ----------------------------------------------------------------------------


def _ask(prompt: str, secret: bool = False) -> str:
    if not sys.stdin.isatty():
        raise CliError(f"missing {prompt.rstrip(': ').lower()} (no terminal to ask on)")
    return getpass.getpass(prompt) if secret else input(prompt)


DATA_DIR_HELP = "where `upmon up` keeps its data (default .upmon)"


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, like argparse but shorter
        self.exit(2, f"upmon: {message} (see --help)\n")


class SubParser(Parser):
    """A subcommand's parser: it takes the global --data-dir too, as users type
    `upmon up --data-dir X`. Suppressed when absent, so one given before the
    subcommand is kept."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.add_argument("--data-dir", default=argparse.SUPPRESS, help=DATA_DIR_HELP)


# The api serves one port; every other service scales by replicas.
_SCALABLE = ("scheduler", "executor", "recorder", "notifier")
_MAX_REPLICAS = 8


def _replicas(text: str) -> tuple[str, int]:
    service, _, count = text.partition("=")
    if service not in _SCALABLE or not count.isdigit() or not 1 <= int(count) <= _MAX_REPLICAS:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give SERVICE=N with SERVICE one of {', '.join(_SCALABLE)}"
            f" and N from 1 to {_MAX_REPLICAS}"
        )
    return service, int(count)


def _region(text: str) -> str:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,31}", text) or text == "default":
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a region name: lower-case letters, digits and '-', not 'default'"
        )
    return text


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="upmon", description="upmon: event-sourced uptime monitoring")
    p.add_argument("--data-dir", help=DATA_DIR_HELP)
    sub = p.add_subparsers(dest="command", required=True, parser_class=SubParser)

    up = sub.add_parser("up", help="run the whole stack on embedded parts")
    up.add_argument("--api-port", type=int, default=8080)
    up.add_argument("--nats-port", type=int, default=4222, help="client port (of the first node)")
    up.add_argument(
        "--nats-nodes",
        type=int,
        default=1,
        choices=[1, 3, 5],
        help="nodes of an embedded JetStream cluster on loopback; every stream at R3 from 3",
    )
    up.add_argument(
        "--nats-cluster-port",
        type=int,
        help="first node's route port; the others follow (default: --nats-port + 2000)",
    )
    up.add_argument(
        "--nats-monitor-port",
        type=int,
        help="first node's monitoring port; the others follow (default: --nats-port + 4000)",
    )
    up.add_argument(
        "--leaf",
        action="append",
        type=_region,
        metavar="REGION",
        help="also run a leaf node and an executor for this remote region (repeatable)",
    )
    up.add_argument(
        "--leaf-port", type=int, help="first leaf node's client port (default: --nats-port + 100)"
    )
    up.add_argument(
        "--nats-leafnode-port",
        type=int,
        help="the hub's port for leaf nodes (default: --nats-port + 3200)",
    )
    up.add_argument(
        "--replicas",
        action="append",
        type=_replicas,
        metavar="SERVICE=N",
        help="run N replicas of scheduler, executor, recorder or notifier (repeatable)",
    )
    up.add_argument("--postgres-port", type=int, default=55432)
    up.add_argument("--clickhouse-port", type=int, default=8123)
    up.add_argument("--metrics-port-base", type=int, default=9100)
    up.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    up.set_defaults(func=cmd_up)

    svc = sub.add_parser("service", help="run one service (what compose runs)")
    svc.add_argument("name", choices=SERVICE_NAMES)
    svc.set_defaults(func=cmd_service)

    sub.add_parser("migrate", help="apply Postgres and ClickHouse migrations").set_defaults(
        func=cmd_migrate
    )

    from cli import pingkeys, secrets_cmd, users

    users.register(sub, SubParser)
    secrets_cmd.register(sub, SubParser)
    pingkeys.register(sub, SubParser)

    apikey = sub.add_parser("apikey", help="manage API keys").add_subparsers(
        dest="action", required=True, parser_class=SubParser
    )
    create = apikey.add_parser("create", help="create an API key and print it once")
    create.add_argument("--name", required=True)
    create.add_argument("--scope", required=True, choices=["read", "write", "admin"])
    create.set_defaults(func=cmd_apikey_create)

    queues = sub.add_parser("queues", help="streams and consumers: pending, redelivered, ...")
    queues.add_argument("--json", action="store_true", help="print JSON instead of a table")
    queues.set_defaults(func=cmd_queues)

    from cli import (
        analyze,
        apply,
        backup,
        capacity,
        dlq,
        importing,
        leaders,
        monitors,
        rebuild,
        replay,
    )

    for module in (
        monitors,
        dlq,
        replay,
        rebuild,
        capacity,
        backup,
        importing,
        analyze,
        apply,
        leaders,
    ):
        module.register(sub)
    return p


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except CliError as exc:
        print(f"upmon: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
