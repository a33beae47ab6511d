"""The single-node schema, rewritten for a ClickHouse cluster (`UPMON_CLICKHOUSE_CLUSTER`).

Each table becomes a replicated local table `<name>_local` on every node (the
MergeTree family turned Replicated, keyed in Keeper by shard and table) and a
Distributed table `<name>` over them, sharded by monitor id, so readers and the
recorder keep using the names they know. Materialized views read and write the
local tables of their shard: a monitor's rows and its rollups live on one shard.
All DDL runs `ON CLUSTER`. Pure text in, text out: the migrations stay written once.
"""

from __future__ import annotations

import re

LOCAL = "_local"
_NAME = r"(`[^`]+`)\.(\w+)"
_CREATE_TABLE = re.compile(rf"^CREATE TABLE IF NOT EXISTS {_NAME}\s*", re.I)
_CREATE_VIEW = re.compile(
    rf"^CREATE MATERIALIZED VIEW IF NOT EXISTS {_NAME}\s+TO\s+{_NAME}\s+AS\s", re.I
)
_ALTER = re.compile(rf"^ALTER TABLE {_NAME}\s", re.I)
_DROP = re.compile(rf"^DROP (TABLE|VIEW) IF EXISTS {_NAME}\s*$", re.I)
_ENGINE = re.compile(r"\bENGINE\s*=\s*(\w*MergeTree)(\s*\(([^)]*)\))?", re.I)
_AS_TABLE = re.compile(rf"^AS\s+{_NAME}\s*", re.I)


def ddl(statement: str, cluster: str) -> list[str]:
    """The statements that do on `cluster` what `statement` does on one node."""
    on = f"ON CLUSTER `{cluster}`"
    s = statement.strip()
    if m := _CREATE_TABLE.match(s):
        return _create_table(m.group(1), m.group(2), s[m.end() :], cluster, on)
    if m := _CREATE_VIEW.match(s):
        db, view, tdb, target = m.groups()
        select = _local_sources(s[m.end() :])
        return [
            f"CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.{view} {on}"
            f" TO {tdb}.{target}{LOCAL} AS {select}"
        ]
    if m := _ALTER.match(s):
        db, table = m.groups()
        rest = s[m.end() :]
        # The Distributed table must show new columns too.
        return [
            f"ALTER TABLE {db}.{table}{LOCAL} {on} {rest}",
            f"ALTER TABLE {db}.{table} {on} {rest}",
        ]
    if m := _DROP.match(s):
        kind, db, name = m.groups()
        drops = [f"DROP {kind.upper()} IF EXISTS {db}.{name} {on} SYNC"]
        if kind.upper() == "TABLE":
            drops.append(f"DROP TABLE IF EXISTS {db}.{name}{LOCAL} {on} SYNC")
        return drops
    if s.upper().startswith("CREATE DATABASE"):
        return [re.sub(r"(CREATE DATABASE IF NOT EXISTS \S+)", rf"\1 {on}", s, count=1)]
    # INSERT ... SELECT and the like go through the Distributed tables unchanged.
    return [s]


def _create_table(db: str, table: str, rest: str, cluster: str, on: str) -> list[str]:
    local = f"{table}{LOCAL}"
    if m := _AS_TABLE.match(rest):
        # CREATE TABLE x AS y ENGINE = ...: the local copy of y's structure.
        rest = f"AS {m.group(1)}.{m.group(2)}{LOCAL} " + rest[m.end() :]
    engine = _ENGINE.search(rest)
    if engine is None:
        raise ValueError(f"{table}: no MergeTree engine to replicate")
    args = (engine.group(3) or "").strip()
    path = f"'/clickhouse/tables/{{shard}}/{db.strip('`')}/{local}', '{{replica}}'"
    replicated = f"ENGINE = Replicated{engine.group(1)}({path}{', ' + args if args else ''})"
    rest = rest[: engine.start()] + replicated + rest[engine.end() :]
    key = _shard_key(rest)
    return [
        f"CREATE TABLE IF NOT EXISTS {db}.{local} {on} {rest}",
        f"CREATE TABLE IF NOT EXISTS {db}.{table} {on} AS {db}.{local}"
        f" ENGINE = Distributed(`{cluster}`, {db}, {local}, {key})",
    ]


_ORDER_BY = re.compile(r"\bORDER BY\s+\(?([^)\n]+)\)?", re.I)


def _shard_key(rest: str) -> str:
    """By monitor id where there is one; otherwise by the whole sorting key, so rows that
    a ReplacingMergeTree should fold into one always meet on the same shard."""
    m = _ORDER_BY.search(rest)
    columns = [c.strip() for c in m.group(1).split(",")] if m else []
    if "monitor_id" in columns:
        return "cityHash64(monitor_id)"
    if not columns:
        raise ValueError("no ORDER BY to shard by")
    return f"cityHash64({', '.join(columns)})"


def _local_sources(select: str) -> str:
    """A view's FROM reads the local table: it sees the inserts of its own shard."""
    return re.sub(rf"\bFROM\s+{_NAME}", lambda m: f"FROM {m.group(1)}.{m.group(2)}{LOCAL}", select)
