"""Incidents and maintenance windows through the API."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from shared.events import IncidentResolved, any_decoder
from shared.monitors import Monitor
from tests.conftest import store_monitor

T0 = datetime(2026, 1, 1, tzinfo=UTC)


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


async def test_acknowledge_records_who_and_keeps_it_resolvable(api, pool):
    _, iid = await open_incident(pool)
    reply = await api.call("POST", f"/api/v1/incidents/{iid}/ack")
    assert reply.status == 200, reply.body
    assert reply.body["status"] == "acknowledged"
    assert reply.body["acknowledged_by"] == "api-key:test admin"
    assert reply.body["duration_s"] > 0


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


async def test_acknowledging_a_resolved_incident_is_a_conflict(api, pool):
    _, iid = await open_incident(pool)
    await api.call("POST", f"/api/v1/incidents/{iid}/resolve")
    reply = await api.call("POST", f"/api/v1/incidents/{iid}/ack")
    assert reply.status == 409 and reply.headers["Content-Type"] == "application/problem+json"


async def test_unknown_incident_is_404(api):
    assert (await api.call("POST", f"/api/v1/incidents/{uuid.uuid4()}/ack")).status == 404
    assert (await api.call("GET", "/api/v1/incidents/not-a-uuid")).status == 404


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
