"""The single-node migrations rewritten for a ClickHouse cluster, as text."""

import pytest

from shared import clickhouse, clickhouse_cluster, config, db

ON = "ON CLUSTER `c1`"


def cluster_statements() -> list[str]:
    s = config.load({}, clickhouse_cluster="c1")
    out = []
    for _, _, sql in db.migration_files("clickhouse"):
        text = sql.replace("{db}", "`upmon`").replace("{raw_ttl_days}", "90")
        out += clickhouse.ddl(s, *clickhouse._statements(text))
    return out


def test_unset_keeps_the_single_node_schema():
    statement = "CREATE TABLE IF NOT EXISTS `upmon`.t (x UInt8) ENGINE = MergeTree ORDER BY x"
    assert clickhouse.ddl(config.load({}), statement) == [statement]


def test_a_table_becomes_a_replicated_local_table_and_a_distributed_one_by_monitor():
    local, dist = clickhouse_cluster.ddl(
        "CREATE TABLE IF NOT EXISTS `upmon`.check_results (monitor_id UUID, t DateTime)"
        " ENGINE = ReplacingMergeTree(t) ORDER BY (monitor_id, t)",
        "c1",
    )
    assert local.startswith(f"CREATE TABLE IF NOT EXISTS `upmon`.check_results_local {ON} (")
    assert (
        "ENGINE = ReplicatedReplacingMergeTree("
        "'/clickhouse/tables/{shard}/upmon/check_results_local', '{replica}', t)"
    ) in local
    assert dist == (
        f"CREATE TABLE IF NOT EXISTS `upmon`.check_results {ON} AS `upmon`.check_results_local"
        " ENGINE = Distributed(`c1`, `upmon`, check_results_local, cityHash64(monitor_id))"
    )


def test_tables_without_a_monitor_shard_by_their_whole_sorting_key():
    _, dist = clickhouse_cluster.ddl(
        "CREATE TABLE IF NOT EXISTS `upmon`.ops_samples (at DateTime, metric String)"
        " ENGINE = ReplacingMergeTree PARTITION BY toYYYYMMDD(at) ORDER BY (metric, at)",
        "c1",
    )
    assert dist.endswith("cityHash64(metric, at))")


def test_every_migration_has_a_cluster_form():
    statements = cluster_statements()
    creates = [s for s in statements if s.startswith(("CREATE TABLE", "CREATE MATERIALIZED"))]
    assert creates and all(ON in s for s in creates)
    # Every MergeTree is replicated; only the Distributed tables are not MergeTrees.
    for s in creates:
        if "ENGINE = Distributed" not in s and "MATERIALIZED VIEW" not in s:
            assert "ENGINE = Replicated" in s, s[:120]
    names = {s.split()[5] for s in creates if s.startswith("CREATE TABLE")}
    for table in ("check_results", "rollup_minute", "rollup_hour", "ops_samples"):
        assert {f"`upmon`.{table}", f"`upmon`.{table}_local"} <= names


def test_rollup_views_read_and_write_the_tables_of_their_own_shard():
    views = [s for s in cluster_statements() if s.startswith("CREATE MATERIALIZED VIEW")]
    assert views
    for view in views:
        assert " TO `upmon`.rollup_" in view or " TO `upmon`.check_rollup_" in view
        assert "_local AS " in view and "FROM `upmon`.check_results_local" in view


def test_alters_reach_both_tables_and_drops_both_with_sync():
    alter = clickhouse_cluster.ddl("ALTER TABLE `upmon`.t ADD COLUMN x UInt8", "c1")
    assert alter == [
        f"ALTER TABLE `upmon`.t_local {ON} ADD COLUMN x UInt8",
        f"ALTER TABLE `upmon`.t {ON} ADD COLUMN x UInt8",
    ]
    assert clickhouse_cluster.ddl("DROP TABLE IF EXISTS `upmon`.t", "c1") == [
        f"DROP TABLE IF EXISTS `upmon`.t {ON} SYNC",
        f"DROP TABLE IF EXISTS `upmon`.t_local {ON} SYNC",
    ]


def test_a_table_with_no_mergetree_is_refused():
    with pytest.raises(ValueError, match="no MergeTree"):
        clickhouse_cluster.ddl("CREATE TABLE IF NOT EXISTS `u`.t (x UInt8) ENGINE = Memory", "c")


@pytest.mark.parametrize("name", ["bad name", "x;DROP", "a" * 65])
def test_a_bad_cluster_name_names_the_variable(name):
    with pytest.raises(config.ConfigError, match="UPMON_CLICKHOUSE_CLUSTER"):
        config.load({"UPMON_CLICKHOUSE_CLUSTER": name})
