"""`upmon analyze [--monitor ID]`: what POST /api/v1/analysis answers (and, for one
monitor, its trends), computed straight from Postgres and ClickHouse."""

from __future__ import annotations

import argparse
import uuid

import msgspec

from cli.main import CliError, postgres, run_async, settings_for


async def _analyse(args: argparse.Namespace):

    from services.api.stores import monitors as monitor_store
    from shared import analysis, anomaly_data, clickhouse

    s = settings_for(args)
    async with postgres(s, timeout=5) as conn:
        monitors = await monitor_store.analysed(conn, args.monitor)
        if args.monitor is not None and not await monitor_store.exists(conn, args.monitor):
            raise CliError(f"no monitor {args.monitor}")
    try:
        ch = await clickhouse.connect(s, database=s.clickhouse_database, retries=1)
    except Exception as exc:  # the driver wraps connection errors in several types
        raise CliError(f"cannot reach ClickHouse at {s.clickhouse_url}: {exc}") from None
    try:
        spans = anomaly_data.spans_of(s, 1)
        found = await analysis.analyse(ch, s.clickhouse_database, monitors, spans)
        trends = None
        if args.monitor is not None:
            trends = await analysis.trends(
                ch, s.clickhouse_database, str(args.monitor), args.window
            )
        return found, trends
    finally:
        await ch.close()


def render(found, trends) -> str:
    out = [
        f"analysed {found.monitors_analysed} monitor(s), {found.regions_analysed} region(s):"
        f" {len(found.anomalies)} anomal{'y' if len(found.anomalies) == 1 else 'ies'}"
    ]
    if found.anomalies:
        out.append("  by metric: " + ", ".join(f"{k} {v}" for k, v in found.by_metric.items()))
        out.append("  by severity: " + ", ".join(f"{k} {v}" for k, v in found.by_severity.items()))
    for a in found.anomalies:
        unit = "" if a.metric == "failure_rate" else " ms"
        out.append(
            f"  {a.severity.upper():8} {a.monitor_name} ({a.region}) {a.metric}:"
            f" {a.current:g}{unit} against {a.baseline:g}{unit} ({a.seasonality} baseline)"
        )
    out += [f"  warning: {w}" for w in found.warnings]
    if trends is not None:
        out.append(f"trends over {trends.window} against the {trends.window} before:")
        for name in ("latency_p50_ms", "latency_p95_ms", "failure_rate", "checks"):
            c = getattr(trends, name)
            pct = "-" if c.change_pct is None else f"{c.change_pct:+g}%"
            out.append(f"  {name:15} {_num(c.previous)} -> {_num(c.current)}  {pct}  {c.trend}")
    return "\n".join(out)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def cmd_analyze(args: argparse.Namespace) -> None:
    found, trends = run_async(_analyse(args))
    if args.json:
        print(msgspec.json.encode({"analysis": found, "trends": trends}).decode())
    else:
        print(render(found, trends))


def _monitor_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a monitor id") from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("analyze", help="run the anomaly detectors now; a monitor's trends")
    p.add_argument("--monitor", type=_monitor_id, help="only this monitor (and its trends)")
    p.add_argument("--window", choices=["1h", "24h", "7d", "30d"], default="24h")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(func=cmd_analyze)
