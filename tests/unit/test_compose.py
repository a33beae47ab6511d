"""compose.yaml stays in step with the code: it is checked, though Docker cannot run here."""

import importlib.metadata
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import yaml

from shared import config
from stack.versions import CLICKHOUSE_IMAGE, NATS_IMAGE, POSTGRES_IMAGE

ROOT = Path(__file__).parents[2]


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_every_service_folder_has_a_compose_service_running_it():
    services = compose()["services"]
    for folder in (ROOT / "services").iterdir():
        if (folder / "main.py").exists():
            assert services[folder.name]["command"] == ["service", folder.name]


def test_every_upmon_variable_set_for_compose_is_a_setting():
    known = set(config.env_names())
    names = set()
    for svc in compose()["services"].values():
        names |= {k for k in (svc.get("environment") or {}) if k.startswith("UPMON_")}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.startswith("UPMON_"):
            names.add(line.split("=", 1)[0])
    assert names and names <= known, names - known


def _version_of(command: list[str]) -> str:
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return re.search(r"(\d+\.\d+(\.\d+)?)", out).group(1)


def test_images_match_the_embedded_parts_the_tests_run_against():
    images = {svc["image"] for svc in compose()["services"].values()}
    assert {NATS_IMAGE, POSTGRES_IMAGE, CLICKHOUSE_IMAGE} <= images
    bin_dir = Path(sys.executable).parent
    nats = _version_of([str(bin_dir / "nats-server"), "--version"])
    assert NATS_IMAGE.endswith(f":{nats}-alpine")
    pg_bin = Path(importlib.util.find_spec("pgserver").origin).parent / "pginstall" / "bin"
    postgres = _version_of([str(pg_bin / "postgres"), "--version"])
    assert POSTGRES_IMAGE.endswith(":" + postgres.split(".")[0])
    chdb = importlib.metadata.version("chdb-core")
    assert CLICKHOUSE_IMAGE.endswith(":" + ".".join(chdb.split(".")[:2]))


def test_the_nats_healthcheck_runs_a_tool_its_image_has():
    nats = compose()["services"]["nats"]
    # The plain image is FROM scratch: only /nats-server, no wget; -alpine has busybox.
    assert nats["healthcheck"]["test"][1] != "wget" or nats["image"].endswith("-alpine")


def test_two_schedulers_run_for_failover():
    assert compose()["services"]["scheduler"]["deploy"]["replicas"] >= 2


def test_each_password_has_one_source():
    text = (ROOT / "compose.yaml").read_text() + (ROOT / ".env.example").read_text()
    assert "upmon:upmon@" not in text
    services = compose()["services"]
    assert "${CLICKHOUSE_PASSWORD" in services["clickhouse"]["environment"]["CLICKHOUSE_PASSWORD"]
    for name in ("api", "migrate", "scheduler"):
        env = services[name]["environment"]
        assert "${POSTGRES_PASSWORD" in env["UPMON_PG_DSN"], name
        assert env["UPMON_CLICKHOUSE_PASSWORD"].startswith("${CLICKHOUSE_PASSWORD"), name
