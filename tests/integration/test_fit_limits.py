"""Monitors stored before today's definition limits: the upgrade fits them, keeps the
original beside them, and the api and scheduler read every monitor again."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import msgspec

from shared import fit_limits
from shared.monitors import Monitor


def old_doc(**fields) -> dict:
    now = datetime.now(UTC).isoformat()
    return {
        "id": str(uuid.uuid4()),
        "name": "legacy\u202e shop",
        "kind": "http",
        "target": "http://127.0.0.1:9/",
        "timeout_s": 5,
        "created_at": now,
        "updated_at": now,
        "http": {"headers": {f"X-{i}": "v" for i in range(10_000)}, "keyword": "k" * 5000},
        "tags": [f"t{i}" for i in range(40)],
        **fields,
    }


def test_fit_cuts_and_cleans_only_what_breaks_a_limit():
    doc = old_doc()
    fitted, fixes = fit_limits.fit(msgspec.json.decode(msgspec.json.encode(doc)))
    m = msgspec.convert(fitted, Monitor)
    assert m.name == "legacy shop" and len(m.http.headers) == 32 and len(m.tags) == 32
    assert len(m.http.keyword) == 1024 and m.target == doc["target"]
    assert len(fixes) == 4
    valid = msgspec.to_builtins(m)
    assert fit_limits.fit(valid) == (valid, [])


async def test_upgrade_fits_stored_monitors_and_keeps_the_original(api, pool):
    good = await api.monitor(name="fine")
    doc = old_doc()
    await pool.execute(
        "INSERT INTO monitors (id, version, doc, tags, paused, created_at, updated_at)"
        " VALUES ($1, 1, $2::jsonb, $3, false, now(), now())",
        uuid.UUID(doc["id"]),
        msgspec.json.encode(doc).decode(),
        doc["tags"],
    )
    async with pool.acquire() as conn, conn.transaction():
        assert await fit_limits.fit_all(conn) == 1
        assert await fit_limits.fit_all(conn) == 0

    listed = await api.call("GET", "/api/v1/monitors")
    assert listed.status == 200
    assert {m["name"] for m in listed.body["items"]} == {"fine", "legacy shop"}
    kept = await pool.fetchval(
        "SELECT doc_before_limits->>'name' FROM monitors WHERE id = $1", uuid.UUID(doc["id"])
    )
    assert kept == doc["name"]
    assert (await api.call("GET", f"/api/v1/monitors/{good['id']}")).status == 200
