"""`upmon apply -f FILE` and POST /api/v1/config:apply on real Postgres, as a
newcomer would use them: a diff, a second apply that changes nothing, --prune,
errors named by item, and secrets taken from the environment."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import yaml

from tests.conftest import settings_env
from tests.integration.test_cli import UPMON

CONFIG = {
    "channels": [
        {
            "name": "ops hook",
            "kind": "webhook",
            "config": {"url": "https://hooks.example.com/upmon", "secret": "${ENV:HOOK_SECRET}"},
        }
    ],
    "monitors": [
        {
            "name": "shop",
            "kind": "http",
            "target": "https://shop.example.com/",
            "interval_s": 60,
            "channels": ["ops hook"],
            "http": {
                "auth": {"type": "basic", "username": "probe", "password": {"from_env": "PW"}}
            },
        },
        {"name": "db", "kind": "tcp", "target": "db.example.com:5432", "interval_s": 30},
    ],
    "status_pages": [{"slug": "public", "title": "Shop status", "monitors": ["shop", "db"]}],
    "maintenance": [
        {"name": "nightly deploy", "monitors": ["db"], "cron": "0 3 * * *", "duration_s": 1800}
    ],
}
ENV = {"HOOK_SECRET": "hook-secret-1", "PW": "probe-password"}


def apply(settings, path, *flags: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full = {**os.environ, **settings_env(settings), **(ENV if env is None else env)}
    return subprocess.run(
        [UPMON, "apply", "-f", str(path), *flags],
        env=full,
        capture_output=True,
        text=True,
        timeout=60,
    )


def write(tmp_path, doc) -> str:
    path = tmp_path / "upmon.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return str(path)


async def live(pool) -> tuple[int, int, int, int]:
    return (
        await pool.fetchval("SELECT count(*) FROM channels WHERE deleted_at IS NULL"),
        await pool.fetchval("SELECT count(*) FROM monitors WHERE deleted_at IS NULL"),
        await pool.fetchval("SELECT count(*) FROM status_pages"),
        await pool.fetchval("SELECT count(*) FROM maintenance_windows WHERE deleted_at IS NULL"),
    )


async def test_apply_diff_then_nothing_to_change_then_update_and_prune(settings, pool, tmp_path):
    path = write(tmp_path, CONFIG)

    dry = apply(settings, path, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "dry run: 5 would be created, 0 would be updated" in dry.stdout
    assert await live(pool) == (0, 0, 0, 0)

    first = apply(settings, path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[:5] == [
        "+ channel ops hook",
        "+ monitor shop",
        "+ monitor db",
        "+ status page public",
        "+ maintenance nightly deploy",
    ]
    assert await live(pool) == (1, 2, 1, 1)
    stored = await pool.fetchval("SELECT doc::text FROM monitors WHERE doc->>'name' = 'shop'")
    assert "probe-password" not in stored and "${ENV" not in stored and "from_env" not in stored
    hook = await pool.fetchval("SELECT config::text FROM channels")
    assert "hook-secret-1" not in hook and "ENV" not in hook
    events = await pool.fetchval("SELECT count(*) FROM outbox")

    again = apply(settings, path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("no changes") and "5 unchanged" in again.stdout
    assert await pool.fetchval("SELECT count(*) FROM outbox") == events

    changed = {**CONFIG, "monitors": [{**CONFIG["monitors"][0], "interval_s": 120}]}
    changed["status_pages"] = [{"slug": "public", "title": "Shop status", "monitors": ["shop"]}]
    changed["maintenance"] = []
    path = write(tmp_path, changed)
    kept = apply(settings, path)
    assert kept.returncode == 0, kept.stderr
    assert "~ monitor shop (interval_s)" in kept.stdout
    assert "~ status page public" in kept.stdout and "- monitor" not in kept.stdout
    assert await live(pool) == (1, 2, 1, 1)

    pruned = apply(settings, path, "--prune")
    assert pruned.returncode == 0, pruned.stderr
    assert "- monitor db" in pruned.stdout and "- maintenance nightly deploy" in pruned.stdout
    assert await live(pool) == (1, 1, 1, 0)
    # A rotated secret is an update of the channel, not a new one.
    rotated = apply(settings, path, env={**ENV, "HOOK_SECRET": "hook-secret-2"})
    assert "~ channel ops hook (config)" in rotated.stdout
    changed["channels"] = [{**CONFIG["channels"][0], "events": ["down", "up"]}]
    narrowed = apply(
        settings, write(tmp_path, changed), env={**ENV, "HOOK_SECRET": "hook-secret-2"}
    )
    assert "~ channel ops hook (events)" in narrowed.stdout
    assert await pool.fetchval("SELECT events FROM channels WHERE deleted_at IS NULL") == [
        "down",
        "up",
    ]


def test_errors_name_the_item_and_field_and_store_nothing(settings, tmp_path):
    bad = {
        **CONFIG,
        "monitors": [CONFIG["monitors"][0], {**CONFIG["monitors"][1], "interval_s": 0}],
    }
    refused = apply(settings, write(tmp_path, bad))
    unset = apply(settings, write(tmp_path, CONFIG), env={"PW": "x"})
    unknown = apply(
        settings,
        write(
            tmp_path,
            {**CONFIG, "status_pages": [{"slug": "public", "title": "t", "monitors": ["nope"]}]},
        ),
    )

    assert refused.returncode == 1 and "monitors[1].interval_s" in refused.stderr
    assert "Traceback" not in refused.stderr and len(refused.stderr.splitlines()) == 1
    assert unset.returncode == 1
    assert "channels[0].config.secret: environment variable HOOK_SECRET is not set" in unset.stderr
    assert unknown.returncode == 1 and "status_pages[0].monitors" in unknown.stderr


async def test_api_applies_and_refuses_unresolved_references(api, pool):
    resolved = yaml.safe_load(yaml.safe_dump(CONFIG).replace("${ENV:HOOK_SECRET}", "s"))
    resolved["monitors"][0]["http"]["auth"]["password"] = "p"

    dry = await api.call("POST", "/api/v1/config:apply?dry_run=true", resolved)
    done = await api.call("POST", "/api/v1/config:apply", resolved)
    again = await api.call("POST", "/api/v1/config:apply", resolved)
    raw = await api.call("POST", "/api/v1/config:apply", CONFIG)
    flag = await api.call("POST", "/api/v1/config:apply?prune=yes", resolved)

    assert dry.status == 200 and dry.body["dry_run"] and dry.body["created"] == 5
    assert done.status == 200 and [c["action"] for c in done.body["changes"]] == ["create"] * 5
    assert again.status == 200 and again.body["changes"] == [] and again.body["unchanged"] == 5
    assert raw.status == 422
    assert {e["field"] for e in raw.body["errors"]} == {
        "channels[0].config.secret",
        "monitors[0].http.auth.password",
    }
    assert flag.status == 422 and flag.body["errors"][0]["field"] == "prune"
    assert await live(pool) == (1, 2, 1, 1)


async def test_the_example_file_in_deploy_applies_as_the_readme_shows(settings, pool):
    example = Path(__file__).parents[2] / "deploy" / "apply" / "upmon.yaml"
    done = apply(settings, example, env={"HOOK_SECRET": "change-me"})
    again = apply(settings, example, env={"HOOK_SECRET": "change-me"})

    assert done.returncode == 0, done.stderr
    assert "5 created" in done.stdout and again.stdout.startswith("no changes")
    assert await live(pool) == (1, 2, 1, 1)


async def test_odd_types_anywhere_in_the_file_get_a_422_naming_the_item(api, pool):
    odd = {
        "channels": [5, {"name": ["x"], "kind": "webhook", "config": {}}],
        "monitors": [{"name": ["x"], "kind": "http", "channels": [{"a": 1}]}, "text"],
        "status_pages": [{"slug": "p", "title": "t", "monitors": [{}]}],
        "maintenance": [7],
    }
    reply = await api.call("POST", "/api/v1/config:apply", odd)
    not_a_map = await api.call("POST", "/api/v1/config:apply", ["monitors"])
    broken = await api.call("POST", "/api/v1/config:apply", raw=b"monitors: [")

    assert reply.status == 422, reply.body
    assert {e["field"].split(".")[0] for e in reply.body["errors"]} >= {
        "channels[0]",
        "channels[1]",
    }
    assert not_a_map.status == 422 and not_a_map.body["errors"][0]["field"] == "body"
    assert broken.status == 400
    for section in ("monitors", "status_pages", "maintenance"):
        alone = await api.call("POST", "/api/v1/config:apply", {section: odd[section]})
        assert alone.status == 422, (section, alone.body)
        assert all(e["field"].startswith(section) for e in alone.body["errors"]), alone.body
    assert await live(pool) == (0, 0, 0, 0)
