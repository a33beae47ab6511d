"""The HTTP API served in-process on real Postgres, NATS and ClickHouse."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import aiohttp
import msgspec
import pytest
from aiohttp.test_utils import TestClient, TestServer

from services.api import keys, routes
from services.api import main as api_main
from services.api.app import build_app
from services.api.state import ApiState
from shared import bus, liveness, logs, outbox, service
from shared.events import MonitorDeleted, MonitorUpserted, monitor_decoder
from shared.sealing import Keyring
from stack.parts import free_port
from tests.conftest import eventually
from tests.integration.conftest import WEB, monitor_body


@pytest.fixture
async def relay(settings, pool, js):
    """Starts the outbox relay on demand, as the api process runs it."""
    stop = asyncio.Event()
    tasks: list[asyncio.Task] = []

    def start() -> None:
        tasks.append(
            asyncio.create_task(outbox.run_relay(pool, settings.pg_dsn, js, stop, poll_s=0.1))
        )

    yield start
    stop.set()
    await asyncio.wait_for(asyncio.gather(*tasks), 10)


async def monitor_events(js, count: int) -> list[tuple[Any, str]]:
    """The first `count` events of the MONITORS stream with their Nats-Msg-Id."""
    sub = await js.subscribe("monitors.events.>", ordered_consumer=True)
    try:
        found = []
        for _ in range(count):
            msg = await sub.next_msg(timeout=10)
            found.append((monitor_decoder.decode(msg.data), msg.headers["Nats-Msg-Id"]))
        return found
    finally:
        await sub.unsubscribe()


# -- health, metrics -------------------------------------------------------------------


async def test_healthz_and_readyz_are_public_and_report_each_part(api):
    assert (await api.call("GET", "/healthz", key=None)).body == {"status": "ok"}

    ready = await api.call("GET", "/readyz", key=None)

    assert ready.status == 200
    assert ready.body == {
        "status": "ok",
        "checks": {"nats": "ok", "postgres": "ok", "clickhouse": "ok"},
    }


async def test_readyz_is_503_naming_the_part_that_is_down(settings, js, pool, ch):
    closed = await bus.connect(settings.nats_url, name="closed")
    await closed.close()
    state = ApiState(settings=settings, pool=pool, nc=closed, js=js, ch=ch)
    async with TestClient(TestServer(build_app(state))) as client:
        resp = await client.get("/readyz")
        body = await resp.json()

    assert resp.status == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["nats"].startswith("error")
    assert body["checks"]["postgres"] == body["checks"]["clickhouse"] == "ok"


async def test_metrics_are_prometheus_text(api):
    reply = await api.call("GET", "/metrics", key=None)

    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("text/plain")
    assert "upmon_outbox_relayed_total" in reply.body


async def test_api_process_serves_http_and_relays_until_stopped(settings, nc, js, pool):
    port = free_port()
    ctx = service.Context(
        "api",
        msgspec.structs.replace(settings, api_port=port, outbox_poll_s=0.1),
        nc,
        js,
        asyncio.Event(),
        logs.get("api"),
    )
    running = asyncio.create_task(api_main.main(ctx))
    _, key = await keys.create_api_key(pool, "process test", "write")
    headers = {"Authorization": f"Bearer {key}"}
    async with aiohttp.ClientSession(f"http://127.0.0.1:{port}", headers=headers) as http:

        async def ready() -> bool:
            with contextlib.suppress(aiohttp.ClientConnectionError):
                async with http.get("/readyz") as resp:
                    return resp.status == 200
            return False

        await eventually(ready, timeout=10)
        async with http.post("/api/v1/monitors", json=monitor_body()) as resp:
            assert resp.status == 201
            created = await resp.json()
        [(event, _)] = await monitor_events(js, 1)

        ctx.stop.set()
        await asyncio.wait_for(running, 15)
        assert not await ready()

    assert event.monitor.id == created["id"]


# -- authentication and scopes ---------------------------------------------------------


def _concrete(path: str) -> str:
    return path.replace("{id}", str(uuid.uuid4()))


V1_ROUTES = [r for r in routes.ALL if r.path.startswith("/api/v1/") and r.scope is not None]
PUBLIC = {
    "/api/v1/push/{token}",
    "/api/v1/push/{token}/{signal}",
    # The ping key in the path is the credential, as the token is.
    "/api/v1/push/{ping_key}/{slug}",
    "/api/v1/push/{ping_key}/{slug}/{signal}",
    "/api/v1/auth/login",
    "/api/v1/status/{slug}",
}


def test_only_push_login_and_public_status_reads_are_open():
    open_routes = {r.path for r in routes.ALL if r.path.startswith("/api/v1/") and r.scope is None}
    assert open_routes == PUBLIC


async def test_every_v1_route_requires_credentials(api):
    assert len(V1_ROUTES) >= 14
    for route in V1_ROUTES:
        for key in (None, "upm_not-a-real-key", "some-token"):
            reply = await api.call(route.method, _concrete(route.path), key=key)

            where = f"{route.method} {route.path} with key {key!r}"
            assert reply.status == 401, where
            assert reply.headers["Content-Type"] == "application/problem+json", where
            assert reply.body["status"] == 401, where
            assert reply.headers["WWW-Authenticate"] == "Bearer", where


async def test_unknown_v1_path_needs_credentials_before_it_is_a_404(api):
    assert (await api.call("GET", "/api/v1/nothing-here", key=None)).status == 401
    missing = await api.call("GET", "/api/v1/nothing-here")

    assert missing.status == 404
    assert missing.body["title"] == "Not Found"
    assert missing.body["type"] == "urn:upmon:problem:not-found"


async def test_read_key_cannot_write(api, pool):
    _, read_key = await keys.create_api_key(pool, "reader", "read")

    listed = await api.call("GET", "/api/v1/monitors", key=read_key)
    created = await api.call("POST", "/api/v1/monitors", monitor_body(), key=read_key)

    assert listed.status == 200
    assert created.status == 403
    assert created.body["detail"] == "this needs a key with scope 'write'; yours has 'read'"
    assert await pool.fetchval("SELECT count(*) FROM monitors") == 0


async def test_write_key_cannot_manage_api_keys(api, pool):
    _, write_key = await keys.create_api_key(pool, "writer", "write")

    assert (await api.call("POST", "/api/v1/monitors", monitor_body(), key=write_key)).status == 201
    assert (await api.call("GET", "/api/v1/api-keys", key=write_key)).status == 403
    made = await api.call("POST", "/api/v1/api-keys", {"name": "x", "scope": "read"}, key=write_key)
    assert made.status == 403


async def test_api_key_is_shown_once_listed_without_secret_and_revocable(api, pool):
    made = await api.call("POST", "/api/v1/api-keys", {"name": "ci", "scope": "write"})
    assert made.status == 201
    key = made.body["key"]
    assert key.startswith("upm_") and made.body["prefix"] == key[:12]
    assert made.body["scope"] == "write" and made.body["revoked_at"] is None

    assert (await api.call("GET", "/api/v1/monitors", key=key)).status == 200
    listed = (await api.call("GET", "/api/v1/api-keys")).body["items"]
    ci = next(k for k in listed if k["id"] == made.body["id"])
    assert "key" not in ci and "key_hash" not in ci
    assert ci["last_used_at"] is not None
    stored = await pool.fetchval("SELECT key_hash FROM api_keys WHERE id = $1", ci["id"])
    assert key not in stored

    revoked = await api.call("DELETE", f"/api/v1/api-keys/{made.body['id']}")
    assert revoked.status == 204
    assert (await api.call("GET", "/api/v1/monitors", key=key)).status == 401
    assert (await api.call("DELETE", f"/api/v1/api-keys/{uuid.uuid4()}")).status == 404


async def test_api_key_body_is_validated(api):
    reply = await api.call("POST", "/api/v1/api-keys", {"name": "x", "scope": "root"})

    assert reply.status == 422
    assert reply.body["errors"][0]["field"] == "scope"


# -- monitors --------------------------------------------------------------------------


async def test_create_monitor_stores_defaults_and_reports_pending(api):
    created = await api.monitor(interval_s=30, tags=["shop"])

    assert created["version"] == 1
    assert created["status"] == "pending" and created["last_checked_at"] is None
    assert created["timeout_s"] == 10.0  # resolved: min(10 s, 80% of the interval)
    assert created["regions"] == ["default"] and created["tags"] == ["shop"]
    assert created["created_at"] == created["updated_at"]
    assert (await api.call("GET", f"/api/v1/monitors/{created['id']}")).body == created


async def test_create_monitor_writes_outbox_and_publishes_to_monitors_stream(api, pool, js, relay):
    created = await api.monitor()
    [row] = await pool.fetch("SELECT event_id::text, subject FROM outbox")
    assert row["subject"] == f"monitors.events.upserted.{created['id']}"

    relay()
    [(event, msg_id)] = await monitor_events(js, 1)

    assert isinstance(event, MonitorUpserted)
    assert event.id == msg_id == row["event_id"]
    assert event.monitor.id == created["id"] and event.monitor.version == 1
    assert event.monitor.target == WEB and event.monitor.timeout_s == created["timeout_s"]
    await eventually(lambda: _outbox_empty(pool), timeout=5)


async def _outbox_empty(pool) -> bool:
    return await pool.fetchval("SELECT count(*) FROM outbox") == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "http", "target": WEB}, "name"),
        (monitor_body(interval_s="often"), "interval_s"),
        (monitor_body(target="ftp://example.com/"), "target"),
        (monitor_body(target="not a url"), "target"),
        (monitor_body(interval_s=0), "interval_s"),
        (monitor_body(interval_s=10, timeout_s=10), "timeout_s"),
        (monitor_body(bogus=1), "bogus"),
        (monitor_body(http={"accepted_status": ["2xx"]}), "http.accepted_status[0]"),
        (monitor_body(http={"verbose": True}), "http.verbose"),
        (monitor_body(kind="bogus"), "kind"),
        (monitor_body(channel_ids=[str(uuid.uuid4())]), "channel_ids"),
        ([monitor_body()], "body"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
async def test_bad_monitor_input_returns_422_naming_the_field(api, pool, body, field):
    reply = await api.call("POST", "/api/v1/monitors", body)

    assert reply.status == 422, reply.body
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert set(reply.body) == {"type", "title", "status", "detail", "errors"}
    assert [e["field"] for e in reply.body["errors"]] == [field]
    assert reply.body["errors"][0]["message"]
    assert await pool.fetchval("SELECT count(*) FROM monitors") == 0


@pytest.mark.parametrize("raw", [b"", b"{", b"{'name': 1}"])
async def test_malformed_json_is_400_naming_body(api, raw):
    reply = await api.call("POST", "/api/v1/monitors", raw=raw)

    assert reply.status == 400
    assert reply.body["errors"][0]["field"] == "body"


async def test_oversized_body_is_a_413_problem(api):
    reply = await api.call("POST", "/api/v1/monitors", raw=b" " * (2 * 1024 * 1024))

    assert reply.status == 413
    assert reply.headers["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
@pytest.mark.parametrize("monitor_id", ["not-a-uuid", str(uuid.uuid4())])
async def test_unknown_or_malformed_monitor_id_is_404(api, method, monitor_id):
    reply = await api.call(
        method, f"/api/v1/monitors/{monitor_id}", {} if method == "PATCH" else None
    )

    assert reply.status == 404
    assert reply.body["detail"] == "monitor not found"


async def test_patch_merges_revalidates_and_bumps_version(api, js, relay):
    created = await api.monitor(tags=["shop"])
    path = f"/api/v1/monitors/{created['id']}"

    patched = await api.call("PATCH", path, {"name": "shop home", "interval_s": 120})
    assert patched.status == 200
    assert patched.body["name"] == "shop home" and patched.body["interval_s"] == 120
    assert patched.body["tags"] == ["shop"] and patched.body["target"] == WEB
    assert patched.body["version"] == 2
    assert patched.body["created_at"] == created["created_at"]

    rejected = await api.call("PATCH", path, {"timeout_s": 500.0, "interval_s": 100})
    assert rejected.status == 422
    rejected = await api.call("PATCH", path, {"target": "nowhere"})
    assert [e["field"] for e in rejected.body["errors"]] == ["target"]
    assert (await api.call("GET", path)).body == patched.body

    relay()
    events = [e for e, _ in await monitor_events(js, 2)]
    assert [e.monitor.version for e in events] == [1, 2]
    assert events[1].monitor.name == "shop home"


async def test_patch_that_changes_nothing_keeps_the_version(api, pool):
    created = await api.monitor()

    same = await api.call("PATCH", f"/api/v1/monitors/{created['id']}", {"name": created["name"]})

    assert same.body["version"] == 1
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 1


async def test_a_default_timeout_follows_a_shorter_interval(api):
    created = await api.monitor(interval_s=60)
    path = f"/api/v1/monitors/{created['id']}"

    shorter = await api.call("PATCH", path, {"interval_s": 5})
    assert shorter.status == 200 and shorter.body["timeout_s"] == 4.0

    chosen = await api.call("PATCH", path, {"timeout_s": 2.5})
    assert chosen.body["timeout_s"] == 2.5
    rejected = await api.call("PATCH", path, {"interval_s": 2})
    assert [e["field"] for e in rejected.body["errors"]] == ["timeout_s"]


async def test_pause_resume_and_delete_produce_events(api, js, relay):
    created = await api.monitor()
    path = f"/api/v1/monitors/{created['id']}"

    paused = await api.call("POST", f"{path}/pause")
    assert paused.body["paused"] is True and paused.body["status"] == "paused"
    again = await api.call("POST", f"{path}/pause")
    assert again.body["version"] == 2  # already paused: nothing changes
    resumed = await api.call("POST", f"{path}/resume")
    assert resumed.body["paused"] is False and resumed.body["status"] == "pending"
    assert (await api.call("DELETE", path)).status == 204
    assert (await api.call("GET", path)).status == 404
    assert (await api.call("DELETE", path)).status == 404

    relay()
    events = [e for e, _ in await monitor_events(js, 4)]
    assert [type(e) for e in events] == [MonitorUpserted] * 3 + [MonitorDeleted]
    assert [e.monitor.paused for e in events[:3]] == [False, True, False]
    assert [e.monitor.version for e in events[:3]] == [1, 2, 3]
    assert events[3].monitor_id == created["id"] and events[3].version == 4


async def test_list_monitors_pages_with_an_opaque_cursor(api):
    made = [(await api.monitor(name=f"m{i}"))["id"] for i in range(5)]

    seen, cursor, pages = [], None, 0
    while True:
        query = f"?limit=2&cursor={cursor}" if cursor else "?limit=2"
        page = (await api.call("GET", f"/api/v1/monitors{query}")).body
        seen += [m["id"] for m in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert seen == made and pages == 3


async def test_list_monitors_filters_by_tag_and_status(api, pool):
    shop = await api.monitor(name="shop", tags=["shop", "eu"])
    blog = await api.monitor(name="blog", tags=["blog"])
    down = await api.monitor(name="api", tags=["shop"])
    await api.call("POST", f"/api/v1/monitors/{blog['id']}/pause")
    checked = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    await pool.execute(
        "INSERT INTO monitor_state (monitor_id, status, last_checked_at) VALUES ($1, 'down', $2)",
        uuid.UUID(down["id"]),
        checked,
    )

    async def names(query: str) -> list[str]:
        reply = await api.call("GET", f"/api/v1/monitors?{query}")
        assert reply.status == 200, reply.body
        return [m["name"] for m in reply.body["items"]]

    assert await names("tag=shop") == ["shop", "api"]
    assert await names("status=paused") == ["blog"]
    assert await names("status=down&tag=shop") == ["api"]
    assert await names("status=up") == []
    got = (await api.call("GET", f"/api/v1/monitors/{down['id']}")).body
    assert got["status"] == "down" and got["last_checked_at"] == "2024-05-01T12:00:00Z"
    assert shop["status"] == "pending"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("limit=ten", "limit"),
        ("status=sleepy", "status"),
        ("cursor=garbage", "cursor"),
    ],
)
async def test_bad_list_parameters_are_422_naming_them(api, query, field):
    reply = await api.call("GET", f"/api/v1/monitors?{query}")

    assert reply.status == 422
    assert reply.body["errors"][0]["field"] == field


# -- results and stats -----------------------------------------------------------------

RESULT_COLUMNS = [
    "check_id",
    "monitor_id",
    "region",
    "scheduled_at",
    "checked_at",
    "status",
    "latency_ms",
    "http_status",
    "error_kind",
    "error",
    "dns_ms",
    "executor",
    "event_id",
    "ingested_at",
]


async def insert_results(
    ch, database: str, monitor_id: str, rows: list[dict], now: datetime | None = None
) -> None:
    """Rows are placed `minutes_ago` before `now`; the same `now` gives the same slots."""
    now = now or datetime.now(UTC)
    defaults = {
        "latency_ms": None,
        "http_status": None,
        "error_kind": None,
        "error": None,
        "dns_ms": None,
        "ingested_at": now,
    }
    values = []
    for i, row in enumerate(rows):
        row = {**defaults, **row}
        at = now - timedelta(minutes=row.pop("minutes_ago"))
        values.append(
            [
                f"{monitor_id}:{i}",
                uuid.UUID(monitor_id),
                row["region"],
                at,
                at + timedelta(milliseconds=5),
                row["status"],
                row["latency_ms"],
                row["http_status"],
                row["error_kind"],
                row["error"],
                row["dns_ms"],
                "executor-1",
                str(uuid.uuid4()),
                row["ingested_at"],
            ]
        )
    await ch.insert(f"{database}.check_results", values, column_names=RESULT_COLUMNS)


STATS_ROWS = [
    {"region": "eu", "minutes_ago": 1, "status": "up", "latency_ms": 100, "dns_ms": 10},
    {"region": "eu", "minutes_ago": 2, "status": "up", "latency_ms": 200, "dns_ms": 20},
    {"region": "eu", "minutes_ago": 3, "status": "degraded", "latency_ms": 300},
    {"region": "eu", "minutes_ago": 4, "status": "down", "latency_ms": 5, "error": "refused"},
    {"region": "eu", "minutes_ago": 5, "status": "missed"},
    {"region": "us", "minutes_ago": 1, "status": "up", "latency_ms": 50, "http_status": 200},
    {"region": "us", "minutes_ago": 2, "status": "down", "error_kind": "timeout"},
    # Outside a 1h window:
    {"region": "us", "minutes_ago": 120, "status": "down"},
]


async def test_results_and_stats_read_clickhouse(api, ch, settings):
    mid = (await api.monitor())["id"]
    other = (await api.monitor(name="other"))["id"]
    db = settings.clickhouse_database
    now = datetime.now(UTC)
    await insert_results(ch, db, mid, STATS_ROWS, now)
    await insert_results(ch, db, other, [{"region": "eu", "minutes_ago": 1, "status": "down"}])
    # The same slot ingested earlier: FINAL keeps only the latest ingestion.
    stale = {**STATS_ROWS[0], "ingested_at": now - timedelta(hours=1), "status": "down"}
    await insert_results(ch, db, mid, [stale], now)

    stats = (await api.call("GET", f"/api/v1/monitors/{mid}/stats?window=1h")).body

    assert stats == {
        "window": "1h",
        "uptime_pct": 66.667,
        "checks": 6,
        "failures": 2,
        "latency_ms": {"avg": 162.5, "p50": 150.0, "p95": 285.0, "p99": 297.0},
        "phases_ms": {
            "dns_ms": 15.0,
            "connect_ms": None,
            "tls_ms": None,
            "ttfb_ms": None,
            "transfer_ms": None,
        },
        "by_region": {
            "eu": {
                "uptime_pct": 75.0,
                "checks": 4,
                "failures": 1,
                "latency_ms": {"avg": 200.0, "p50": 200.0, "p95": 290.0, "p99": 298.0},
            },
            "us": {
                "uptime_pct": 50.0,
                "checks": 2,
                "failures": 1,
                "latency_ms": {"avg": 50.0, "p50": 50.0, "p95": 50.0, "p99": 50.0},
            },
        },
        # Not a job monitor: no runs.
        "runs": None,
    }
    day = (await api.call("GET", f"/api/v1/monitors/{mid}/stats")).body
    assert day["window"] == "24h" and day["checks"] == 7 and day["failures"] == 3

    results = (await api.call("GET", f"/api/v1/monitors/{mid}/results?region=us")).body
    assert [r["status"] for r in results["items"]] == ["up", "down", "down"]
    newest = results["items"][0]
    assert set(newest) == {
        "check_id",
        "region",
        "scheduled_at",
        "checked_at",
        "status",
        "latency_ms",
        "http_status",
        "error_kind",
        "error",
        "phases",
        "cert_expires_at",
        "cert_issuer",
        "cert_subject",
        "details",
    }
    assert newest["latency_ms"] == 50.0 and newest["http_status"] == 200
    assert newest["scheduled_at"].endswith("Z") and newest["cert_expires_at"] is None
    assert set(newest["phases"]) == {"dns_ms", "connect_ms", "tls_ms", "ttfb_ms", "transfer_ms"}
    assert results["items"][1]["error_kind"] == "timeout"


async def test_results_page_newest_first_within_a_time_range(api, ch, settings):
    mid = (await api.monitor())["id"]
    await insert_results(ch, settings.clickhouse_database, mid, STATS_ROWS)
    path = f"/api/v1/monitors/{mid}/results"

    seen, cursor = [], None
    while True:
        query = f"?limit=3&cursor={cursor}" if cursor else "?limit=3"
        page = (await api.call("GET", path + query)).body
        seen += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    times = [(r["scheduled_at"], r["region"]) for r in seen]
    assert len(seen) == len(STATS_ROWS) and times == sorted(times, reverse=True)

    since = datetime.now(UTC) - timedelta(minutes=3, seconds=30)
    until = datetime.now(UTC) - timedelta(minutes=1, seconds=30)
    query = urlencode({"since": since.isoformat(), "until": until.isoformat()})
    ranged = (await api.call("GET", f"{path}?{query}")).body
    assert [(r["region"], r["status"]) for r in ranged["items"]] == [
        ("us", "down"),
        ("eu", "up"),
        ("eu", "degraded"),
    ]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("stats?window=2h", "window"),
        ("results?since=yesterday", "since"),
        ("results?limit=0", "limit"),
        ("results?cursor=%%%", "cursor"),
    ],
)
async def test_bad_results_and_stats_parameters_are_422(api, path, field):
    mid = (await api.monitor())["id"]

    reply = await api.call("GET", f"/api/v1/monitors/{mid}/{path}")

    assert reply.status == 422
    assert reply.body["errors"][0]["field"] == field


async def test_stats_of_a_monitor_without_results_are_empty(api):
    mid = (await api.monitor())["id"]

    stats = (await api.call("GET", f"/api/v1/monitors/{mid}/stats?window=7d")).body

    assert stats["checks"] == 0 and stats["uptime_pct"] is None and stats["by_region"] == {}
    assert stats["latency_ms"] == {"avg": None, "p50": None, "p95": None, "p99": None}
    missing = await api.call("GET", f"/api/v1/monitors/{uuid.uuid4()}/results")
    assert missing.status == 404


# -- channels --------------------------------------------------------------------------

HOOK = {
    "name": "ops hook",
    "kind": "webhook",
    "config": {
        "url": "https://hooks.example.com/upmon",
        "secret": "s3cret",
        "headers": {"Authorization": "Bearer abc", "X-Team": "ops"},
    },
}


async def test_channel_secret_is_masked_on_every_read_and_stored_encrypted(api, pool, settings):
    created = await api.call("POST", "/api/v1/channels", HOOK)
    assert created.status == 201
    cid = created.body["id"]
    masked = {
        "url": "https://hooks.example.com/upmon",
        "secret": "********",
        "headers": {"Authorization": "********", "X-Team": "ops"},
    }

    one = (await api.call("GET", f"/api/v1/channels/{cid}")).body
    listed = (await api.call("GET", "/api/v1/channels")).body["items"]

    assert created.body["config"] == one["config"] == listed[0]["config"] == masked
    stored = await pool.fetchval("SELECT config::text FROM channels WHERE id = $1", cid)
    assert "s3cret" not in stored and "Bearer abc" not in stored
    sealed = msgspec.json.decode(stored)
    keyring = Keyring.from_settings(settings)
    assert keyring.open(sealed["secret"]) == "s3cret"
    assert keyring.open(sealed["headers"]["Authorization"]) == "Bearer abc"


async def test_monitor_channels_must_exist(api):
    cid = (await api.call("POST", "/api/v1/channels", HOOK)).body["id"]

    linked = await api.monitor(channel_ids=[cid])
    assert linked["channel_ids"] == [cid]

    assert (await api.call("DELETE", f"/api/v1/channels/{cid}")).status == 204
    assert (await api.call("GET", f"/api/v1/channels/{cid}")).status == 404
    rejected = await api.call("POST", "/api/v1/monitors", monitor_body(channel_ids=[cid]))
    assert rejected.status == 422 and rejected.body["errors"][0]["field"] == "channel_ids"
    # Monitors that already named the deleted channel can still be paused and edited.
    paused = await api.call("POST", f"/api/v1/monitors/{linked['id']}/pause")
    assert paused.status == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**HOOK, "kind": "slack"}, "config.url"),
        ({**HOOK, "kind": "carrier-pigeon"}, "kind"),
        ({**HOOK, "config": {}}, "config.url"),
        ({**HOOK, "config": {"url": "ftp://x"}}, "config.url"),
        ({**HOOK, "config": {"url": "https://x", "bogus": 1}}, "config.bogus"),
        ({**HOOK, "config": {"url": "https://x", "headers": {"a": 1}}}, "config.headers"),
        ({"kind": "webhook", "config": {"url": "https://x"}}, "name"),
    ],
)
async def test_bad_channel_input_returns_422_naming_the_field(api, body, field):
    reply = await api.call("POST", "/api/v1/channels", body)

    assert reply.status == 422, reply.body
    assert reply.body["errors"][0]["field"] == field


# -- incidents -------------------------------------------------------------------------


async def test_incidents_are_listed_newest_first_and_filtered(api, pool):
    first, second = uuid.uuid4(), uuid.uuid4()
    opened = datetime(2024, 5, 1, tzinfo=UTC)
    rows = [
        (first, "resolved", opened),
        (first, "open", opened + timedelta(hours=2)),
        (second, "acknowledged", opened + timedelta(hours=1)),
    ]
    for monitor_id, status, at in rows:
        await pool.execute(
            "INSERT INTO incidents (id, monitor_id, status, cause, regions, opened_at)"
            " VALUES ($1, $2, $3, 'HTTP 503', '{eu}', $4)",
            uuid.uuid4(),
            monitor_id,
            status,
            at,
        )

    async def statuses(query: str) -> list[str]:
        reply = await api.call("GET", f"/api/v1/incidents{query}")
        assert reply.status == 200, reply.body
        return [i["status"] for i in reply.body["items"]]

    assert await statuses("") == ["open", "acknowledged", "resolved"]
    assert await statuses(f"?monitor_id={first}") == ["open", "resolved"]
    assert await statuses("?status=acknowledged") == ["acknowledged"]
    page = (await api.call("GET", "/api/v1/incidents?limit=2")).body
    rest = (await api.call("GET", f"/api/v1/incidents?cursor={page['next_cursor']}")).body
    assert [i["status"] for i in rest["items"]] == ["resolved"]
    assert rest["items"][0]["regions"] == ["eu"] and rest["items"][0]["cause"] == "HTTP 503"
    bad = await api.call("GET", "/api/v1/incidents?monitor_id=42")
    assert bad.status == 422 and bad.body["errors"][0]["field"] == "monitor_id"


# -- operations ------------------------------------------------------------------------


async def test_ops_queues_report_streams_and_consumers(api, js):
    await js.publish("checks.result.eu.m1", b"{}")
    await js.publish("checks.result.eu.m2", b"{}")

    queues = (await api.call("GET", "/api/v1/ops/queues")).body
    streams = {s["name"]: s for s in queues["streams"]}

    assert {"MONITORS", "CHECKS", "RESULTS", "INCIDENTS", "NOTIFY", "DLQ"} <= set(streams)
    results = streams["RESULTS"]
    assert results["messages"] == 2 and results["bytes"] > 0
    recorder = next(c for c in results["consumers"] if c["name"] == "recorder")
    assert recorder["pending"] == 2
    assert recorder["ack_pending"] == recorder["redelivered"] == 0
    assert {"waiting", "last_active", "delivered_seq", "ack_floor_seq"} <= set(recorder)
    assert recorder["durable"] and recorder["filter_subjects"] == ["checks.result.>"]


async def test_ops_queues_tell_a_watchers_own_consumer_from_a_durable(api, js):
    watcher = await js.subscribe("monitors.events.>", ordered_consumer=True)
    try:
        queues = (await api.call("GET", "/api/v1/ops/queues")).body
    finally:
        await watcher.unsubscribe()
    [monitors] = [s for s in queues["streams"] if s["name"] == "MONITORS"]
    [ephemeral] = [c for c in monitors["consumers"] if not c["durable"]]
    assert ephemeral["filter_subjects"] == ["monitors.events.>"]


async def test_ops_services_lists_live_replicas(api, js):
    stop = asyncio.Event()
    beat = asyncio.create_task(liveness.heartbeat(js, "scheduler", "sched-1", stop, every_s=0.1))
    try:

        async def listed():
            return (await api.call("GET", "/api/v1/ops/services")).body["items"]

        [replica] = await eventually(listed, timeout=5)
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(beat, 5)

    assert replica["service"] == "scheduler" and replica["id"] == "sched-1"
    assert {"host", "started_at", "last_seen"} <= set(replica)


# -- errors and self-description --------------------------------------------------------


async def test_unexpected_error_is_a_generic_500_problem(api, pool):
    await pool.execute("DROP TABLE channels CASCADE")  # with the read model's view

    reply = await api.call("GET", "/api/v1/channels")

    assert reply.status == 500
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert reply.body["title"] == "Internal server error"
    assert "channels" not in reply.body["detail"] and "Traceback" not in str(reply.body)


async def test_wrong_method_is_a_405_problem_with_allow(api):
    reply = await api.call("PUT", "/api/v1/monitors")

    assert reply.status == 405
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert set(reply.headers["Allow"].split(",")) == {"GET", "POST"}


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


async def test_openapi_lists_every_route_and_its_schema_components(api):
    spec = (await api.call("GET", "/openapi.json", key=None)).body
    served = {
        (r.method.lower(), r.resource.canonical)
        for r in api.client.server.app.router.routes()
        if r.method != "HEAD"
    }

    documented = {(m, p) for p, ops in spec["paths"].items() for m in ops}
    schemas = spec["components"]["schemas"]

    assert spec["openapi"].startswith("3.1")
    assert documented == served
    for name in ("MonitorFields", "MonitorPatch", "MonitorView", "Problem", "ResultList", "Stats"):
        assert name in schemas
    assert all(ref.removeprefix("#/components/schemas/") in schemas for ref in _refs(spec))
    create = spec["paths"]["/api/v1/monitors"]["post"]
    body_ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body_ref == "#/components/schemas/MonitorFields"
    assert create["x-required-scope"] == "write" and "201" in create["responses"]
    assert "interval_s" in schemas["MonitorFields"]["properties"]


async def test_docs_page_lists_routes_without_outside_resources(api):
    reply = await api.call("GET", "/docs", key=None)

    assert reply.status == 200 and reply.headers["Content-Type"].startswith("text/html")
    assert "/api/v1/monitors/{id}/stats" in reply.body and 'id="MonitorFields"' in reply.body
    assert "<script src" not in reply.body and "<link" not in reply.body
