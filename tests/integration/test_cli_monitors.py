"""`upmon monitors list|add|import|export` against real Postgres."""

from __future__ import annotations

import json

import yaml

from tests.integration.test_cli import upmon
from tests.integration.test_cli_ops import one_line_error
from tests.integration.test_ops_monitors_io import GOOD, counts


async def test_add_then_list(settings, pool):
    added = upmon(
        settings,
        "monitors", "add", "--name", "shop", "--kind", "http",
        "--target", "https://shop.example.com/", "--interval", "30", "--tag", "a", "--tag", "b",
    )  # fmt: skip
    beat = upmon(settings, "monitors", "add", "--json", '{"name": "cron", "kind": "heartbeat"}')
    listed = upmon(settings, "monitors", "list")

    assert added.returncode == 0, added.stderr
    assert "created (shop)" in added.stdout and "push URL: " in beat.stdout
    head, *rows = listed.stdout.splitlines()
    assert head.split() == ["ID", "NAME", "KIND", "TARGET", "INTERVAL", "STATUS"]
    assert "https://shop.example.com/" in rows[0] and "30s" in rows[0] and "pending" in rows[0]
    doc = await pool.fetchval("SELECT doc FROM monitors WHERE doc->>'name' = 'shop'")
    assert doc["tags"] == ["a", "b"]
    assert await counts(pool) == (2, 2)


async def test_add_refuses_bad_monitors_in_one_line(settings, pool):
    bad = upmon(settings, "monitors", "add", "--name", "x", "--kind", "http", "--target", "nope")
    assert "target:" in one_line_error(bad)
    assert "--kind" in one_line_error(upmon(settings, "monitors", "add", "--name", "x"))
    assert "--json" in one_line_error(upmon(settings, "monitors", "add", "--json", "[1]"))
    assert await counts(pool) == (0, 0)


async def test_import_is_all_or_nothing_and_export_round_trips(settings, pool, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump([*GOOD, {"name": "x", "kind": "http", "interval_s": 0}]))
    good = tmp_path / "good.json"
    good.write_text(json.dumps(GOOD))

    refused = upmon(settings, "monitors", "import", str(broken))
    assert "nothing stored" in one_line_error(refused) and "items[3].interval_s" in refused.stderr
    assert await counts(pool) == (0, 0)

    done = upmon(settings, "monitors", "import", str(good))
    assert done.returncode == 0 and "imported 3 monitors" in done.stdout
    exported = upmon(settings, "monitors", "export", "--format", "yaml")
    assert [m["name"] for m in yaml.safe_load(exported.stdout)] == [m["name"] for m in GOOD]
    out = tmp_path / "all.json"
    upmon(settings, "monitors", "export", "-o", str(out))
    assert json.loads(out.read_text()) == yaml.safe_load(exported.stdout)


def test_import_reports_unreadable_files(settings, tmp_path):
    missing = upmon(settings, "monitors", "import", str(tmp_path / "none.json"))
    assert "cannot read" in one_line_error(missing)
    garbage = tmp_path / "g.json"
    garbage.write_text("{not json")
    assert "not valid JSON" in one_line_error(upmon(settings, "monitors", "import", str(garbage)))
