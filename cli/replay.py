"""`upmon replay`: a window of a stream as decoded events, one JSON object a line.

Also the pieces `upmon dlq` and `upmon rebuild` share: time and number arguments,
and a NATS connection that fails fast. Heavy modules are imported by the commands
that need them, so `upmon --help` and unrelated commands stay quick."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import msgspec

from cli.main import CliError, run_async, settings_for

if TYPE_CHECKING:
    from nats.js import JetStreamContext

    from services.api.stream_window import Window
    from shared.config import Settings

STREAMS = "MONITORS, CHECKS, RESULTS, INCIDENTS, NOTIFY or DLQ"
_AGO = re.compile(r"^(\d+)([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def when(text: str) -> datetime:
    """An argparse type: an RFC 3339 time, or a span back from now such as 15m, 2h, 7d."""
    if ago := _AGO.match(text.strip()):
        return datetime.now(UTC) - timedelta(**{_UNITS[ago[2]]: int(ago[1])})
    try:
        value = msgspec.json.decode(msgspec.json.encode(text), type=datetime)
    except msgspec.ValidationError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a time: use RFC 3339 (2024-05-01T12:00:00Z) or 15m, 2h, 7d"
        ) from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


@contextlib.asynccontextmanager
async def jetstream(target: str | Settings) -> AsyncIterator[JetStreamContext]:
    """One short-lived connection that fails fast: a CLI must not retry forever.

    `target` is the settings (servers, credentials, TLS) or a bare server URL."""
    import nats
    import nats.errors
    import nats.js.errors

    from shared import bus
    from shared.config import ConfigError, Settings

    async def quiet(_: Exception) -> None:
        pass

    settings = target if isinstance(target, Settings) else Settings(nats_url=target)
    try:
        opts = bus.connect_options(settings)
    except ConfigError as exc:
        raise CliError(str(exc)) from None
    url = ",".join(bus.without_credentials(s) for s in opts["servers"])  # type: ignore[attr-defined]
    try:
        # With one attempt allowed, nats-py's first connect gives up instead of looping.
        nc = await nats.connect(
            **opts,  # type: ignore[arg-type]
            name="upmon-cli",
            connect_timeout=3,
            allow_reconnect=False,
            max_reconnect_attempts=1,
            reconnect_time_wait=0.1,
            error_cb=quiet,
        )
    except (nats.errors.Error, OSError) as exc:
        raise CliError(f"cannot reach NATS at {url}: {exc} (is `upmon up` running?)") from None
    try:
        yield nc.jetstream(timeout=10.0)
    except nats.js.errors.NotFoundError as exc:
        raise CliError(f"not provisioned yet: {exc.description} (start the stack once)") from None
    except nats.errors.Error as exc:
        raise CliError(f"NATS: {exc}") from None
    finally:
        await nc.close()


def _window(args: argparse.Namespace, settings: Settings) -> Window:
    from services.api.stream_window import Window, stream_subjects, subject_error

    known = stream_subjects(settings)
    if args.stream not in known:
        raise CliError(f"--stream {args.stream}: must be {STREAMS}")
    if args.subject and (problem := subject_error(args.subject, known[args.stream])):
        raise CliError(f"--subject {args.subject}: {problem}")
    if args.since and args.until and args.until < args.since:
        raise CliError("--until is before --since")
    return Window(args.stream, args.subject, args.since, args.seq, args.until)


async def _print_events(url: str | Settings, w: Window, follow: bool) -> None:
    from services.api.routes.ops_events import stream_event
    from services.api.stream_window import window

    encode = msgspec.json.Encoder().encode
    async with jetstream(url) as js, contextlib.aclosing(window(js, w, follow)) as msgs:
        try:
            async for msg in msgs:
                sys.stdout.write(encode(stream_event(msg)).decode() + "\n")
                if follow:
                    sys.stdout.flush()
        except BrokenPipeError:
            # The reader (e.g. `head`) has seen enough; stop quietly, even at exit's flush.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


async def _until_interrupted(coro) -> None:
    """Ctrl-C (or SIGTERM) ends a replay as if the window had ended."""
    task = asyncio.current_task()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, task.cancel)
    with contextlib.suppress(asyncio.CancelledError):
        await coro


def cmd_replay(args: argparse.Namespace) -> None:
    s = settings_for(args)
    w = _window(args, s)
    run_async(_until_interrupted(_print_events(s, w, args.follow)))


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "replay",
        help="print a window of a stream as decoded events (JSON lines)",
        description="Print the events of a stream in order, one JSON object a line. Times"
        " are RFC 3339 or a span back from now (15m, 2h, 7d).",
    )
    p.add_argument("--stream", required=True, type=str.upper, help=STREAMS)
    p.add_argument("--subject", help="only subjects matching this pattern (* and > work)")
    start = p.add_mutually_exclusive_group()
    start.add_argument("--since", type=when, help="from this time (default: the stream's start)")
    start.add_argument("--seq", type=positive, help="from this stream sequence")
    p.add_argument("--until", type=when, help="up to this time")
    p.add_argument("--follow", action="store_true", help="keep printing new events until Ctrl-C")
    p.set_defaults(func=cmd_replay)
