"""The api against its own OpenAPI document, with Schemathesis.

The real app serves /openapi.json on a real port in this process (real Postgres,
NATS and ClickHouse behind it). The Schemathesis CLI runs as a child process
against that document: every operation, a fixed seed, a bounded number of
examples, in its coverage, fuzzing and stateful phases (the document carries no
examples to replay), with both positive and negative generation (`mode = "all"`:
values that break the schema, such as wrong types, out-of-range numbers and
strings with control characters). It sends valid and invalid requests and checks each
response: no 5xx, a documented status, a
documented content type and a body that validates against the documented schema,
401 without credentials, 405 for undeclared methods, and that created resources
can be read and deleted ones are gone.

Before the run, one resource of each kind is stored (monitors with check results,
a channel, an incident with delivery attempts, a maintenance window, status
pages, dead letters, a spare API key), and the operations that take an id are
pointed at one of them, so that they answer from real data rather than 404.
Deleting operations get resources of their own. GET /ui/{name} keeps generated
names: they are 404s, the dashboard's own tests serve its files."""

from __future__ import annotations

import asyncio
import json
import sys
import typing
import uuid
from pathlib import Path

import pytest

from services.api import keys, ping_keys
from services.api.routes import ops_events
from services.api.stream_window import stream_subjects
from tests.integration.conftest import Api
from tests.integration.test_channels import responder  # noqa: F401 - a fixture

SEED = 20_240_501
MAX_EXAMPLES = 20
RUN_TIMEOUT_S = 150

# What the run asserts. Not asserted, on purpose:
# - positive_data_acceptance: a request valid by the schema may still be refused
#   with 422 by rules no JSON schema states (timeout_s < interval_s, a target
#   that suits the kind, a channel's config for its kind).
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "ignored_auth",
    "unsupported_method",
    "use_after_free",
    "ensure_resource_availability",
    "negative_data_rejection",
)

PHASES = ("coverage", "fuzzing", "stateful")

# Warnings that mean the run did not test what it claims: the admin key stopped
# working, or an entry of the config below matches no operation any more.
FAIL_ON_WARNINGS = ("missing_auth", "unmatched_filter", "unresolvable_reference")

# Probes whose 503 is their documented answer while the stack is not whole (here no
# scheduler runs, so /health/queue is unhealthy).
PROBES = ("GET /readyz", "GET /health/queue")


async def _check_results(ch, database: str, monitor_id: str) -> None:
    """Two hours of one-minute results in two regions: mostly up, some down and missed."""
    await ch.command(
        f"INSERT INTO `{database}`.check_results (check_id, monitor_id, region, scheduled_at,"
        " checked_at, status, latency_ms, http_status, error_kind, error, dns_ms, connect_ms,"
        " tls_ms, ttfb_ms, transfer_ms, cert_expires_at, executor, event_id, details)"
        " SELECT concat({id:String}, ':', region, ':', toString(n)), {id:UUID}, region,"
        " at, at + toIntervalMillisecond(40), status,"
        " if(status = 'up', 20 + n % 90, NULL), if(status = 'down', 503, 200),"
        " if(status = 'down', 'http_status', NULL), if(status = 'down', 'HTTP 503', NULL),"
        " 1.5, 3, 7, 12, 2, now64(3) + INTERVAL 30 DAY, 'executor-1', toString(generateUUIDv4()),"
        ' \'{"note": "seeded"}\''
        " FROM (SELECT number AS n, if(number % 2 = 0, 'eu', 'us') AS region,"
        " toStartOfMinute(now64(3)) - toIntervalMinute(intDiv(number, 2)) AS at,"
        " multiIf(number % 29 = 0, 'down', number % 31 = 0, 'missed', 'up') AS status"
        " FROM numbers(240))",
        parameters={"id": monitor_id},
    )


async def _incident(pool, monitor_id: str, channel_id: str) -> str:
    incident = uuid.uuid4()
    await pool.execute(
        "INSERT INTO incidents (id, monitor_id, status, cause, regions, opened_at)"
        " VALUES ($1, $2, 'open', 'HTTP 503', '{eu}', now() - interval '5 minutes')",
        incident,
        uuid.UUID(monitor_id),
    )
    for attempt, outcome, code in [(1, "retry", 500), (2, "delivered", 200)]:
        await pool.execute(
            "INSERT INTO delivery_attempts (delivery_id, channel_id, incident_id, event, attempt,"
            " outcome, status_code) VALUES ($1, $2, $3, 'monitor.down', $4, $5, $6)",
            uuid.uuid5(incident, "delivery"),
            uuid.UUID(channel_id),
            incident,
            attempt,
            outcome,
            code,
        )
    return str(incident)


async def _dead_letter(js) -> str:
    ack = await js.publish(
        "dlq.checks.result.default.seeded", b"not json", headers={"Upmon-Attempts": "3"}
    )
    return str(ack.seq)


async def _created(api: Api, path: str, body: dict) -> dict:
    reply = await api.call("POST", path, body)
    assert reply.status == 201, (path, reply.body)
    return reply.body


async def _seed(api: Api, pool, js, ch, database: str, hook_url: str) -> dict[str, dict]:
    """Store one resource of each kind; the parameters each operation is pointed at."""
    watched = await api.monitor(name="seeded http", tags=["shop"])
    heartbeat = await api.monitor(
        name="seeded heartbeat", kind="heartbeat", target="", heartbeat={"slug": "seeded"}
    )
    doomed = await api.monitor(name="to delete")
    await _check_results(ch, database, watched["id"])
    channel = await _created(
        api, "/api/v1/channels", {"name": "hook", "kind": "webhook", "config": {"url": hook_url}}
    )
    spare_channel = await _created(
        api, "/api/v1/channels", {"name": "spare", "kind": "webhook", "config": {"url": hook_url}}
    )
    window = await _created(
        api,
        "/api/v1/maintenance",
        {"name": "nightly", "tags": ["x"], "cron": "0 3 * * *", "duration_s": 600},
    )
    for slug in ("shop", "spare"):
        await _created(
            api,
            "/api/v1/status-pages",
            {"slug": slug, "title": slug, "monitor_ids": [watched["id"]], "public": True},
        )
    incident = await _incident(pool, watched["id"], channel["id"])
    spare_key, _ = await keys.create_api_key(pool, "spare", "read")
    _, fleet_key = await ping_keys.create(pool, "fleet")
    spare_ping_key, _ = await ping_keys.create(pool, "spare")
    by_slug = {"ping_key": fleet_key, "slug": "seeded"}
    monitor = {"id": watched["id"]}
    return {
        "GET /api/v1/monitors/{id}": monitor,
        "PATCH /api/v1/monitors/{id}": monitor,
        "POST /api/v1/monitors/{id}/pause": monitor,
        "POST /api/v1/monitors/{id}/resume": monitor,
        "GET /api/v1/monitors/{id}/results": monitor,
        "GET /api/v1/monitors/{id}/stats": monitor,
        "GET /api/v1/monitors/{id}/runs": monitor,
        "GET /badge/{id}/status.svg": monitor,
        "GET /badge/{id}/uptime.svg": monitor,
        "DELETE /api/v1/monitors/{id}": {"id": doomed["id"]},
        "GET /api/v1/push/{token}": {"token": heartbeat["push_token"]},
        "POST /api/v1/push/{token}": {"token": heartbeat["push_token"]},
        "GET /api/v1/push/{token}/{signal}": {"token": heartbeat["push_token"]},
        "POST /api/v1/push/{token}/{signal}": {"token": heartbeat["push_token"]},
        "GET /api/v1/push/{ping_key}/{slug}": by_slug,
        "POST /api/v1/push/{ping_key}/{slug}": by_slug,
        "GET /api/v1/push/{ping_key}/{slug}/{signal}": by_slug,
        "POST /api/v1/push/{ping_key}/{slug}/{signal}": by_slug,
        "DELETE /api/v1/ping-keys/{id}": {"id": spare_ping_key},
        "GET /api/v1/channels/{id}": {"id": channel["id"]},
        "POST /api/v1/channels/{id}/test": {"id": channel["id"]},
        "DELETE /api/v1/channels/{id}": {"id": spare_channel["id"]},
        "GET /api/v1/incidents/{id}": {"id": incident},
        "GET /api/v1/incidents/{id}/deliveries": {"id": incident},
        "POST /api/v1/incidents/{id}/ack": {"id": incident},
        "POST /api/v1/incidents/{id}/resolve": {"id": incident},
        "DELETE /api/v1/maintenance/{id}": {"id": window["id"]},
        "GET /api/v1/status/{slug}": {"slug": "shop"},
        "GET /status/{slug}": {"slug": "shop"},
        "DELETE /api/v1/status-pages/{slug}": {"slug": "spare"},
        "POST /api/v1/ops/dlq/{id}/retry": {"id": await _dead_letter(js)},
        "DELETE /api/v1/ops/dlq/{id}": {"id": await _dead_letter(js)},
        # Revoking the admin key the run authenticates with would turn every later
        # request into a 401: this operation revokes a key of its own instead.
        "DELETE /api/v1/api-keys/{id}": {"id": spare_key},
    }


def _toml(value) -> str:
    """A TOML value; JSON's strings, numbers and arrays are TOML's as well."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + " }"
    return json.dumps(value)


def config(admin_key: str, pointed: dict[str, dict]) -> str:
    lines = [
        f"seed = {SEED}",
        "workers = 1",
        f"headers = {_toml({'Authorization': f'Bearer {admin_key}'})}",
        "[generation]",
        # Valid and schema-violating requests alike: hostile input must never be a 5xx.
        'mode = "all"',
        f"max-examples = {MAX_EXAMPLES}",
        "no-shrink = true",
        'database = "none"',
        "[checks]",
        "enabled = false",
        *(f"{name}.enabled = true" for name in CHECKS),
        "[warnings]",
        f"fail-on = {_toml(list(FAIL_ON_WARNINGS))}",
        # Stated, not left to the defaults: the negative coverage cases and the fuzzing
        # phase are where malformed values (NUL, odd digits, huge numbers) come from.
        *(f"[phases.{phase}]\nenabled = true" for phase in PHASES),
    ]
    for name in PROBES:
        lines += [
            "[[operations]]",
            f"include-name = {_toml(name)}",
            f"checks.not_a_server_error.expected-statuses = {_toml(['2xx', '3xx', '4xx', '503'])}",
        ]
    for name, parameters in pointed.items():
        lines += [
            "[[operations]]",
            f"include-name = {_toml(name)}",
            f"parameters = {_toml(parameters)}",
        ]
    return "\n".join(lines) + "\n"


def _failures(output: str) -> str:
    """The FAILURES section of the CLI's output, or its end when there is none."""
    start = output.find("FAILURES ==")
    return output[start:] if start >= 0 else output[-6000:]


# The notifier's answers to channel tests and incident changes: without them, a 503.
@pytest.mark.usefixtures("responder", "incident_commands_served")
async def test_every_operation_conforms_to_the_openapi_document(
    api: Api, pool, js, ch, settings, receiver, tmp_path: Path
):
    base = str(api.client.make_url("")).rstrip("/")
    document = (await api.call("GET", "/openapi.json")).body
    operations = sum(len(ops) for ops in document["paths"].values())
    pointed = await _seed(api, pool, js, ch, settings.clickhouse_database, receiver.url)
    (tmp_path / "schemathesis.toml").write_text(config(api.key, pointed))
    document_file = tmp_path / "openapi.json"
    document_file.write_text(json.dumps(document))
    report = tmp_path / "report.json"

    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(tmp_path / "schemathesis.toml"),
        "run",
        # From a file: given the document's URL, Schemathesis leaves GET /openapi.json out.
        str(document_file),
        "--url",
        base,
        "--no-color",
        "--report",
        "json",
        "--report-json-path",
        str(report),
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        out, _ = await asyncio.wait_for(proc.communicate(), RUN_TIMEOUT_S)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    output = out.decode(errors="replace")

    assert report.exists(), output[-6000:]
    summary = json.loads(report.read_text())
    assert summary["complete"] and summary["stop_reason"] == "completed", output[-6000:]
    assert summary["operations"]["total"] == operations, summary["operations"]
    assert summary["operations"]["tested"] == operations, summary["operations"]
    assert summary["errors"] == [], _failures(output)
    assert summary["failures"] == [], _failures(output)
    assert proc.returncode == 0, _failures(output)
    assert not any(summary["warnings"][w] for w in FAIL_ON_WARNINGS), summary["warnings"]


async def test_the_documented_streams_are_the_streams(settings):
    """/api/v1/ops/events documents its `stream` values by hand; they must stay true."""
    (stream,) = (p for r in ops_events.ROUTES for p in r.query if p.name == "stream")
    assert set(typing.get_args(stream.type)) == set(stream_subjects(settings))
