"""`upmon capacity`: the sizing answer of GET /api/v1/ops/capacity, computed from
the same measurements straight from Postgres, ClickHouse and NATS."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

import msgspec

from cli.main import CliError, postgres, run_async, settings_for
from cli.replay import jetstream

if TYPE_CHECKING:
    from shared.capacity import Capacity


async def _measure(args: argparse.Namespace) -> Capacity:

    from shared import capacity, clickhouse

    s = settings_for(args)
    async with postgres(s, timeout=5) as conn:
        try:
            ch = await clickhouse.connect(s, database=s.clickhouse_database, retries=1)
        except Exception as exc:  # the driver wraps connection errors in several types
            raise CliError(f"cannot reach ClickHouse at {s.clickhouse_url}: {exc}") from None
        try:
            async with jetstream(s) as js:
                return await capacity.measure(conn, ch, s.clickhouse_database, js)
        finally:
            await ch.close()


def render(c: Capacity) -> str:
    out = [f"offered: {c.checks_per_s:g} checks/s"]
    out += [
        f"  {o.region}: {o.checks_per_s:g} checks/s from {o.monitors} monitor(s)" for o in c.offered
    ]
    head = ("SERVICE", "REPLICAS", "DEMAND/S", "CPU/MSG", "UTIL", "NEED", "")
    rows = [head] + [
        (
            a.service,
            str(a.replicas),
            f"{a.demand_per_s:g}",
            f"{a.cpu_per_msg_us:g} µs" + ("" if a.measured else " (default)"),
            f"{a.utilisation_pct:g}%",
            str(a.recommended),
            a.advice.split(" -> ", 1)[1] if " -> " in a.advice else "",
        )
        for a in c.services
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    out.append("")
    out += ["  ".join(x.ljust(w) for x, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    out += ["", f"headroom x{c.headroom:g}; {c.summary}"]
    return "\n".join(out)


def cmd_capacity(args: argparse.Namespace) -> None:
    found = run_async(_measure(args))
    print(msgspec.json.encode(found).decode() if args.json else render(found))


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("capacity", help="replicas each service needs, from live measurements")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=cmd_capacity)
