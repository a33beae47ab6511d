"""deploy/grafana: every SQL query of the dashboard, with the ClickHouse datasource
plugin's macros and the dashboard's variables substituted as Grafana would, runs
against the real migrated ClickHouse schema and returns the columns its panel shows."""

from __future__ import annotations

import json
import re
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from services.recorder.rows import COLUMNS, row
from shared.events import CheckResult, utcnow

GRAFANA = Path(__file__).parents[2] / "deploy" / "grafana"
DASHBOARD = json.loads((GRAFANA / "dashboards" / "upmon.json").read_text())
INTERVAL_S = 60

EXPECTED = {
    "Uptime": ["uptime"],
    "Uptime over time, per region": ["time", "region", "uptime"],
    "Latency percentiles": ["time", "q", "p50", "p95", "p99"],
    "Phases (average)": ["time", "dns", "connect", "tls", "ttfb", "transfer"],
    "Per region": ["region", "checks", "failures", "uptime", "latency_p95_ms"],
    "Down checks by cause": ["time", "cause", "down"],
    "Incidents: outages (runs of down checks)": [
        "monitor",
        "region",
        "started",
        "last_down",
        "down_checks",
        "error",
    ],
}
_ALL = object()


def _split_args(text: str, start: int) -> tuple[list[str], int]:
    """The comma-separated arguments of a macro call whose '(' is at `start`."""
    depth, args, current, i = 0, [], "", start
    while True:
        c = text[i]
        if c == "(":
            depth += 1
            if depth == 1:
                i += 1
                continue
        elif c == ")":
            depth -= 1
            if depth == 0:
                args.append(current.strip())
                return args, i + 1
        elif c == "," and depth == 1:
            args.append(current.strip())
            current, i = "", i + 1
            continue
        current += c
        i += 1


def _macro(sql: str, name: str, expand) -> str:
    while (at := sql.find(name + "(")) >= 0:
        args, end = _split_args(sql, at + len(name))
        sql = sql[:at] + expand(*args) + sql[end:]
    return sql


def substitute(sql: str, database: str, values: dict, start: int, end: int) -> str:
    """What the plugin sends ClickHouse for `sql` (plugin v4 macro semantics)."""

    def conditional(condition: str, var: str) -> str:
        return "1=1" if values[var.strip("${}")] is _ALL else condition

    sql = _macro(sql, "$__conditionalAll", conditional)
    sql = _macro(
        sql, "$__timeFilter", lambda c: f"{c} >= toDateTime({start}) AND {c} <= toDateTime({end})"
    )
    sql = _macro(
        sql,
        "$__timeInterval",
        lambda c: f"toStartOfInterval(toDateTime({c}), INTERVAL {INTERVAL_S} second)",
    )
    sql = sql.replace("${database}", f"`{database}`")
    for name, value in values.items():
        if value is not _ALL:
            sql = sql.replace(f"${{{name}:singlequote}}", ", ".join(f"'{v}'" for v in value))
    assert "$" not in sql, f"a macro or variable left unsubstituted:\n{sql}"
    return sql


def queries() -> list[tuple[str, str]]:
    found = [(p["title"], t["rawSql"]) for p in DASHBOARD["panels"] for t in p["targets"]]
    found += [
        (f"variable {v['name']}", v["query"])
        for v in DASHBOARD["templating"]["list"]
        if v["type"] == "query"
    ]
    return found


def _result(mid: str, region: str, minutes_ago: int, status: str) -> CheckResult:
    at = utcnow().replace(second=0, microsecond=0) - timedelta(minutes=minutes_ago)
    up = status == "up"
    return CheckResult(
        check_id=f"{mid}:{region}:{minutes_ago}",
        monitor_id=mid,
        region=region,
        scheduled_at=at,
        checked_at=at + timedelta(seconds=1),
        status=status,
        latency_ms=80.0 + minutes_ago if up else None,
        error_kind=None if up else "timeout",
        error=None if up else "timed out after 10 s",
    )


@pytest.fixture
async def seeded(ch, settings) -> tuple[str, str]:
    """Two monitors in two regions over the last hour, with one outage of three checks."""
    ids = [str(uuid.uuid4()), str(uuid.uuid4())]
    results = [
        _result(
            mid, region, n, "down" if (mid == ids[0] and region == "eu" and 10 <= n < 13) else "up"
        )
        for mid in ids
        for region in ("eu", "us")
        for n in range(1, 60)
    ]
    table = f"`{settings.clickhouse_database}`.check_results"
    await ch.insert(table, [row(r) for r in results], column_names=COLUMNS)
    return ids[0], "eu"


@pytest.mark.parametrize("selection", ["all", "one monitor and region"])
async def test_every_dashboard_query_runs_on_the_real_schema(ch, settings, seeded, selection):
    monitor, region = seeded
    values = (
        {"monitor": _ALL, "region": _ALL}
        if selection == "all"
        else {"monitor": [monitor], "region": [region]}
    )
    end = int(time.time()) + 60
    ran = []
    for title, raw in queries():
        sql = substitute(raw, settings.clickhouse_database, values, end - 6 * 3600, end)
        found = await ch.query(sql)
        ran.append(title)
        assert found.result_rows, f"{title}: no rows\n{sql}"
        if title in EXPECTED:
            assert list(found.column_names) == EXPECTED[title], title

    assert set(EXPECTED) <= set(ran)
    outages = await ch.query(
        substitute(
            dict(queries())["Incidents: outages (runs of down checks)"],
            settings.clickhouse_database,
            values,
            end - 6 * 3600,
            end,
        )
    )
    [(mid, where, _, _, count, error)] = outages.result_rows
    assert (mid, where, count, error) == (monitor, "eu", 3, "timed out after 10 s")


def test_provisioning_names_the_plugin_and_the_dashboard_folder():
    sources = yaml.safe_load(
        (GRAFANA / "provisioning/datasources/upmon-clickhouse.yaml").read_text()
    )
    providers = yaml.safe_load((GRAFANA / "provisioning/dashboards/upmon.yaml").read_text())
    [source] = sources["datasources"]
    assert source["type"] == "grafana-clickhouse-datasource"
    assert source["jsonData"]["defaultDatabase"] == "upmon"
    assert providers["providers"][0]["type"] == "file"
    used = {p["datasource"]["type"] for p in DASHBOARD["panels"]}
    assert used == {"grafana-clickhouse-datasource"}
    assert len({p["id"] for p in DASHBOARD["panels"]}) == len(DASHBOARD["panels"])
    assert re.fullmatch(r"[a-z0-9-]+", DASHBOARD["uid"])
