"""`upmon rebuild clickhouse`: project the RESULTS stream into ClickHouse again.

Rows are made by the recorder's own mapping. Results whose (check id, region)
already has a row are skipped, so a rebuild over a window that is partly there
fills the gaps without adding rows, even before ReplacingMergeTree merges."""

from __future__ import annotations

import argparse
import contextlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import msgspec

from cli.main import CliError, run_async, settings_for
from cli.replay import jetstream, when

if TYPE_CHECKING:
    from shared.config import Settings
    from shared.events import CheckResult

BATCH = 1000


@dataclass
class Tally:
    read: int = 0
    inserted: int = 0
    present: int = 0
    undecodable: int = 0

    def line(self) -> str:
        return (
            f"read {self.read} results: {self.inserted} inserted, {self.present} already"
            f" in ClickHouse, {self.undecodable} undecodable"
        )


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


async def _present(ch, table: str, batch: list[CheckResult]) -> set[tuple[str, str]]:
    # monitor_id and scheduled_at lead the sorting key: they narrow the scan to the batch.
    rows = await ch.query(
        f"SELECT check_id, region FROM {table}"
        " WHERE monitor_id IN %(monitors)s AND check_id IN %(checks)s"
        " AND scheduled_at BETWEEN fromUnixTimestamp64Milli(%(lo)s)"
        " AND fromUnixTimestamp64Milli(%(hi)s)",
        parameters={
            "monitors": tuple({r.monitor_id for r in batch}),
            "checks": tuple({r.check_id for r in batch}),
            "lo": min(_ms(r.scheduled_at) for r in batch),
            "hi": max(_ms(r.scheduled_at) for r in batch),
        },
    )
    return {(c, r) for c, r in rows.result_rows}


async def _flush(ch, table: str, batch: list[CheckResult], tally: Tally) -> None:
    from services.recorder.rows import COLUMNS, row

    present = await _present(ch, table, batch)
    # A result stored twice in the stream (a late redelivery) is still one row.
    fresh = {(r.check_id, r.region): r for r in batch if (r.check_id, r.region) not in present}
    if fresh:
        await ch.insert(table, [row(r) for r in fresh.values()], column_names=COLUMNS)
    tally.inserted += len(fresh)
    tally.present += len(batch) - len(fresh)


async def rebuild(s: Settings, since: datetime, until: datetime | None) -> Tally:
    tally = Tally()
    table = f"`{s.clickhouse_database}`.check_results"
    ch = await _clickhouse(s)
    try:
        async with jetstream(s) as js:
            async for batch in _batches(js, since, until, tally):
                await _flush(ch, table, batch, tally)
    finally:
        await ch.close()
    return tally


async def _batches(js, since: datetime, until: datetime | None, tally: Tally):
    from services.api.stream_window import Window, window
    from shared.events import result_decoder

    batch: list[CheckResult] = []
    async with contextlib.aclosing(window(js, Window("RESULTS", since=since, until=until))) as msgs:
        async for record in msgs:
            tally.read += 1
            try:
                batch.append(result_decoder.decode(record.data))
            except (msgspec.DecodeError, msgspec.ValidationError):
                tally.undecodable += 1
            if len(batch) >= BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


async def _clickhouse(s: Settings):
    from shared import clickhouse

    try:
        return await clickhouse.connect(s, database=s.clickhouse_database, retries=2)
    except Exception as exc:  # the driver wraps connection errors in several types
        raise CliError(f"cannot reach ClickHouse at {s.clickhouse_url}: {exc}") from None


def cmd_rebuild(args: argparse.Namespace) -> None:
    if args.until and args.until < args.since:
        raise CliError("--until is before --since")
    print(run_async(rebuild(settings_for(args), args.since, args.until)).line())


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "rebuild",
        help="rebuild a projection from the event log",
        description="Re-project the RESULTS stream (within its retention) into ClickHouse;"
        " rows already there are kept, missing ones come back.",
    )
    p.add_argument("target", choices=["clickhouse"])
    p.add_argument(
        "--since", type=when, required=True, help="from this time (RFC 3339, or 2h, 7d ago)"
    )
    p.add_argument("--until", type=when, help="up to this time (default: now)")
    p.set_defaults(func=cmd_rebuild)
