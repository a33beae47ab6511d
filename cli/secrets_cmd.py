"""`upmon secrets generate-key|rotate`: the key that seals monitor and channel secrets.

Rotation: put the new key in UPMON_SECRET_KEY and the old one in
UPMON_SECRET_KEY_OLD (comma-separated if several), restart the services, run
`upmon secrets rotate` to re-seal every stored secret with the new key, then drop
the old key from UPMON_SECRET_KEY_OLD."""

from __future__ import annotations

import argparse

from cli.main import CliError, postgres, run_async, settings_for


def cmd_generate_key(args: argparse.Namespace) -> None:
    from shared.sealing import generate_key

    print(generate_key())


def cmd_rotate(args: argparse.Namespace) -> None:

    from shared import config, sealing, secret_store

    s = settings_for(args)
    try:
        keyring = sealing.Keyring.from_settings(s)
    except config.ConfigError as exc:
        raise CliError(str(exc)) from None

    async def go() -> secret_store.Resealed:
        async with postgres(s) as conn:
            done = await secret_store.reseal_all(conn, keyring)
        if args.purge_history:
            await _purge(s, done)
        return done

    try:
        done = run_async(go())
    except sealing.SealError as exc:
        raise CliError(f"{exc}: add that key to UPMON_SECRET_KEY_OLD and run again") from None
    print(
        f"re-sealed with key {keyring.current_id}: {done.monitors} monitors,"
        f" {done.channels} channels; {done.scrubbed} deleted rows cleared"
    )


async def _purge(s, done) -> None:
    from shared import bus, db, secret_store

    pool = await db.connect_pool(s.pg_dsn, 2)
    nc = await bus.connect(s, name="upmon-secrets")
    try:
        purged = await secret_store.purge_history(pool, bus.jetstream(nc), done)
    finally:
        await nc.close()
        await pool.close()
    print(f"MONITORS history: {purged} monitors keep only their latest, sealed, event")


def register(sub: argparse._SubParsersAction, parser_class) -> None:
    secrets = sub.add_parser(
        "secrets", help="the key that encrypts monitor and channel secrets"
    ).add_subparsers(dest="action", required=True, parser_class=parser_class)
    secrets.add_parser("generate-key", help="print a new random key").set_defaults(
        func=cmd_generate_key
    )
    rotate = secrets.add_parser(
        "rotate",
        help="re-encrypt every stored secret with UPMON_SECRET_KEY (old keys in"
        " UPMON_SECRET_KEY_OLD)",
    )
    rotate.add_argument(
        "--purge-history",
        action="store_true",
        help="also drop older MONITORS events that carry secrets in plaintext or under an"
        " old key (each monitor keeps its latest event)",
    )
    rotate.set_defaults(func=cmd_rotate)
