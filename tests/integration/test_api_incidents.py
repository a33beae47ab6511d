"""Incidents and maintenance windows through the API."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer

from services.api import keys
from services.api.app import build_app
from services.api.state import ApiState
from services.notifier.incidents import apply_batch
from shared import bus, db, incident_commands
from shared.events import CheckResult, IncidentResolved, any_decoder
from shared.monitors import Monitor
from tests.conftest import store_monitor
from tests.integration.conftest import Api, commands_served

T0 = datetime(2026, 1, 1, tzinfo=UTC)
# Acknowledge and resolve are carried out by the notifier's command responder.
served = pytest.mark.usefixtures("incident_commands_served")


async def open_incident(pool) -> tuple[str, str]:
    m = Monitor(
        id=str(uuid.uuid4()),
        name="shop",
        kind="http",
        target="http://x/",
        timeout_s=1,
        channel_ids=["c1"],
        created_at=T0,
        updated_at=T0,
    )
    await store_monitor(pool, m)
    incident = uuid.uuid4()
    await pool.execute(
        "INSERT INTO incidents (id, monitor_id, status, cause, regions, opened_at)"
        " VALUES ($1, $2, 'open', 'HTTP 503', '{eu}', $3)",
        incident,
        uuid.UUID(m.id),
        T0,
    )
    await pool.execute(
        "INSERT INTO monitor_state (monitor_id, status, open_incident_id) VALUES ($1, 'down', $2)",
        uuid.UUID(m.id),
        incident,
    )
    return m.id, str(incident)


@served
async def test_acknowledge_records_who_and_keeps_it_resolvable(api, pool):
    _, iid = await open_incident(pool)
    reply = await api.call("POST", f"/api/v1/incidents/{iid}/ack")
    assert reply.status == 200, reply.body
    assert reply.body["status"] == "acknowledged"
    assert reply.body["acknowledged_by"] == "api-key:test admin"
    assert reply.body["duration_s"] > 0


@served
async def test_manual_resolve_announces_once_and_detaches_the_monitor_state(api, pool):
    mid, iid = await open_incident(pool)
    first = await api.call("POST", f"/api/v1/incidents/{iid}/resolve")
    again = await api.call("POST", f"/api/v1/incidents/{iid}/resolve")
    assert first.status == again.status == 200
    assert first.body["status"] == "resolved" and first.body["resolved_by"] == "api-key:test admin"
    rows = await pool.fetch("SELECT payload FROM outbox")
    [event] = [any_decoder.decode(r["payload"]) for r in rows]
    assert isinstance(event, IncidentResolved) and event.incident.id == iid
    assert event.incident.resolved_by == "api-key:test admin" and event.channel_ids == ["c1"]
    state = await pool.fetchval(
        "SELECT open_incident_id FROM monitor_state WHERE monitor_id = $1", uuid.UUID(mid)
    )
    assert state is None


@served
async def test_acknowledging_a_resolved_incident_is_a_conflict(api, pool):
    _, iid = await open_incident(pool)
    await api.call("POST", f"/api/v1/incidents/{iid}/resolve")
    reply = await api.call("POST", f"/api/v1/incidents/{iid}/ack")
    assert reply.status == 409 and reply.headers["Content-Type"] == "application/problem+json"


@served
async def test_unknown_incident_is_404(api):
    assert (await api.call("POST", f"/api/v1/incidents/{uuid.uuid4()}/ack")).status == 404
    assert (await api.call("GET", "/api/v1/incidents/not-a-uuid")).status == 404


async def outbox_events(pool) -> list:
    return [
        any_decoder.decode(r["payload"]) for r in await pool.fetch("SELECT payload FROM outbox")
    ]


@served
async def test_recovery_after_a_manual_resolve_announces_nothing_more(api, pool):
    mid, iid = await open_incident(pool)
    assert (await api.call("POST", f"/api/v1/incidents/{iid}/resolve")).status == 200
    up = CheckResult(
        check_id=f"{mid}:1",
        monitor_id=mid,
        region="default",
        scheduled_at=T0 + timedelta(minutes=1),
        checked_at=T0 + timedelta(minutes=1),
        status="up",
    )
    async with pool.acquire() as conn, conn.transaction():
        await apply_batch(conn, [up])
    resolved = [e for e in await outbox_events(pool) if isinstance(e, IncidentResolved)]
    assert [e.incident.resolved_by for e in resolved] == ["api-key:test admin"]
    assert await pool.fetchval("SELECT resolved_by FROM incidents") == "api-key:test admin"


@served
async def test_an_anomaly_resolved_by_hand_is_not_announced_as_up(api, pool):
    mid, _ = await open_incident(pool)
    anomaly = uuid.uuid4()
    await pool.execute(
        "INSERT INTO incidents (id, monitor_id, status, cause, regions, opened_at, kind, metric)"
        " VALUES ($1, $2, 'open', 'slow', '{eu}', $3, 'anomaly', 'latency')",
        anomaly,
        uuid.UUID(mid),
        T0,
    )
    reply = await api.call("POST", f"/api/v1/incidents/{anomaly}/resolve")
    assert reply.status == 200 and reply.body["status"] == "resolved"
    assert await outbox_events(pool) == []


@pytest.mark.parametrize("action", ["ack", "resolve"])
async def test_a_change_without_a_notifier_is_503_and_changes_nothing(api, pool, action):
    _, iid = await open_incident(pool)
    reply = await api.call("POST", f"/api/v1/incidents/{iid}/{action}")
    assert reply.status == 503 and reply.headers["Content-Type"] == "application/problem+json"
    assert "notifier" in reply.body["detail"] and "none is running" in reply.body["detail"]
    assert reply.headers["Retry-After"] == "5"
    assert await pool.fetchval("SELECT status FROM incidents") == "open"


async def test_a_notifier_that_does_not_answer_in_time_is_503(api, pool, settings, monkeypatch):
    _, iid = await open_incident(pool)
    mute = await bus.connect(settings.nats_url, name="test-mute-notifier")
    try:
        # Subscribed but never answering, as a notifier stuck on its database would be.
        await mute.subscribe(incident_commands.SUBJECT, queue=incident_commands.QUEUE)
        await mute.flush()
        monkeypatch.setattr(incident_commands, "TIMEOUT_S", 0.3)
        reply = await api.call("POST", f"/api/v1/incidents/{iid}/ack")
    finally:
        await mute.close()
    assert reply.status == 503 and "none answered" in reply.body["detail"]


async def test_a_notifier_without_its_database_is_503_not_500(api, pool, settings):
    _, iid = await open_incident(pool)
    gone = await db.connect_pool(settings.pg_dsn, 1)
    await gone.close()
    async with commands_served(settings, gone):
        reply = await api.call("POST", f"/api/v1/incidents/{iid}/resolve")
    assert reply.status == 503 and reply.headers["Content-Type"] == "application/problem+json"
    assert "cannot reach its database" in reply.body["detail"]
    assert await pool.fetchval("SELECT status FROM incidents") == "open"


async def test_an_api_cut_off_from_nats_is_503_not_500(settings, pool, js, ch):
    _, iid = await open_incident(pool)
    nc = await bus.connect(settings.nats_url, name="test-api-cut-off")
    await nc.close()
    state = ApiState(settings=settings, pool=pool, nc=nc, js=js, ch=ch)
    _, key = await keys.create_api_key(pool, "cut off", "admin")
    async with TestClient(TestServer(build_app(state))) as client:
        api = Api(client, key)
        reply = await api.call("POST", f"/api/v1/incidents/{iid}/ack")
    assert reply.status == 503 and "cannot reach NATS" in reply.body["detail"]


@served
async def test_the_notifier_refuses_a_malformed_command(settings):
    nc = await bus.connect(settings.nats_url, name="test-api")
    try:
        for raw in (
            b"{",
            b'{"incident_id": "x", "action": "delete", "by": "me"}',
            b'{"incident_id": "not-a-uuid", "action": "resolve", "by": "me"}',
        ):
            msg = await nc.request(incident_commands.SUBJECT, raw, timeout=5)
            assert incident_commands.reply_decoder.decode(msg.data).outcome == "invalid", raw
    finally:
        await nc.close()


async def test_deliveries_list_every_attempt(api, pool):
    _, iid = await open_incident(pool)
    delivery = uuid.uuid4()
    for attempt, outcome, code in [(1, "retry", 500), (2, "delivered", 200)]:
        await pool.execute(
            "INSERT INTO delivery_attempts (delivery_id, channel_id, incident_id, event, attempt,"
            " outcome, status_code) VALUES ($1, $2, $3, 'monitor.down', $4, $5, $6)",
            delivery,
            uuid.uuid4(),
            uuid.UUID(iid),
            attempt,
            outcome,
            code,
        )
    reply = await api.call("GET", f"/api/v1/incidents/{iid}/deliveries")
    assert [(d["attempt"], d["outcome"], d["status_code"]) for d in reply.body["items"]] == [
        (1, "retry", 500),
        (2, "delivered", 200),
    ]
    assert {d["delivery_id"] for d in reply.body["items"]} == {str(delivery)}


async def test_maintenance_window_one_off_and_recurring(api):
    now = datetime.now(UTC)
    one_off = {
        "name": "deploy",
        "tags": ["shop"],
        "starts_at": (now - timedelta(minutes=1)).isoformat(),
        "ends_at": (now + timedelta(hours=1)).isoformat(),
    }
    reply = await api.call("POST", "/api/v1/maintenance", one_off)
    assert reply.status == 201, reply.body
    assert reply.body["active_now"] is True
    nightly = {
        "name": "backups",
        "monitor_ids": [str(uuid.uuid4())],
        "cron": "0 3 * * *",
        "duration_s": 1800,
        "timezone": "Europe/Berlin",
    }
    assert (await api.call("POST", "/api/v1/maintenance", nightly)).status == 201
    listed = await api.call("GET", "/api/v1/maintenance")
    assert [w["name"] for w in listed.body["items"]] == ["deploy", "backups"]
    gone = await api.call("DELETE", f"/api/v1/maintenance/{reply.body['id']}")
    assert gone.status == 204
    assert len((await api.call("GET", "/api/v1/maintenance")).body["items"]) == 1


async def test_bad_maintenance_windows_name_the_field(api):
    now = datetime.now(UTC).isoformat()
    cases = [
        ({"name": "x", "tags": ["a"], "starts_at": now, "ends_at": now}, "ends_at"),
        ({"name": "x", "tags": ["a"], "cron": "every day", "duration_s": 60}, "cron"),
        ({"name": "x", "tags": ["a"], "cron": "0 3 * * *"}, "duration_s"),
        (
            {"name": "x", "tags": ["a"], "cron": "0 3 * * *", "duration_s": 9, "timezone": "Mars"},
            "timezone",
        ),
        ({"name": "x", "starts_at": now, "ends_at": now}, "monitor_ids"),
        (
            {"name": "x", "monitor_ids": ["nope"], "cron": "0 3 * * *", "duration_s": 9},
            "monitor_ids[0]",
        ),
    ]
    for body, field in cases:
        reply = await api.call("POST", "/api/v1/maintenance", body)
        assert reply.status == 422, (body, reply.body)
        assert reply.body["errors"][0]["field"] == field, (body, reply.body)
