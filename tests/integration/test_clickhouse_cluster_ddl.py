"""The cluster schema against ClickHouse's own parser. The embedded engine has no Keeper
to run replicated tables or ON CLUSTER queues, so each statement is parsed (EXPLAIN AST),
not run: syntax, engines and their arguments are checked; a real cluster runs them
(deploy/clickhouse-cluster)."""

from __future__ import annotations

from tests.unit.test_clickhouse_cluster import cluster_statements


async def test_every_cluster_statement_is_valid_clickhouse(ch):
    statements = cluster_statements()
    assert len(statements) > 20
    for statement in statements:
        ast = await ch.raw_query(f"EXPLAIN AST {statement}", fmt="TabSeparatedRaw")
        text = ast.decode()
        assert text.strip(), statement[:100]
        if "ENGINE = Replicated" in statement:
            assert "Function Replicated" in text, statement[:100]
        if "ENGINE = Distributed" in statement:
            assert "Function Distributed" in text, statement[:100]
