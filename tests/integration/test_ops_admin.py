"""What the dashboard's operations and admin pages read: safe settings, the
maintenance preview and the throughput widgets, through the api on real parts."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import msgspec

from services.api import keys
from services.api.routes.ops_settings import MASK
from services.recorder.sampler import sample_forever
from shared import logs, opsamples, service
from shared.events import utcnow
from tests.conftest import eventually
from tests.integration.test_ops_dlq import result


async def test_settings_show_values_but_never_secrets(api, settings, pool):
    reply = await api.call("GET", "/api/v1/ops/settings")
    _, writer = await keys.create_api_key(pool, "writer", "write")

    assert reply.status == 200, reply.body
    found = {s["name"]: s for s in reply.body["items"]}
    assert found["UPMON_CLICKHOUSE_DATABASE"]["value"] == settings.clickhouse_database
    assert found["UPMON_NATS_PASSWORD"] == {
        "name": "UPMON_NATS_PASSWORD",
        "value": "",
        "secret": True,
    }
    assert (await api.call("GET", "/api/v1/ops/settings", key=writer)).status == 403


def test_passwords_inside_urls_are_masked(settings):
    from services.api.routes.ops_settings import safe

    s = msgspec.structs.replace(
        settings,
        pg_dsn="postgresql://upmon:hunter2@db:5432/upmon",
        clickhouse_password="hunter2",
    )
    found = {x.name: x.value for x in safe(s)}
    assert found["UPMON_PG_DSN"] == f"postgresql://upmon:{MASK}@db:5432/upmon"
    assert found["UPMON_CLICKHOUSE_PASSWORD"] == MASK
    assert "hunter2" not in str(found)


async def test_maintenance_preview_lists_the_next_windows_in_utc(api):
    reply = await api.call(
        "POST",
        "/api/v1/maintenance:preview",
        {"cron": "30 2 * * *", "duration_s": 1800, "timezone": "Europe/Berlin", "count": 3},
    )
    bad_zone = await api.call(
        "POST",
        "/api/v1/maintenance:preview",
        {"cron": "0 * * * *", "duration_s": 60, "timezone": "Mars/Base"},
    )
    bad_cron = await api.call(
        "POST", "/api/v1/maintenance:preview", {"cron": "every day", "duration_s": 60}
    )

    assert reply.status == 200, reply.body
    starts = [o["starts_at"] for o in reply.body["occurrences"]]
    assert len(starts) == 3 and len(set(starts)) == 3
    # 02:30 in Berlin is 00:30 or 01:30 UTC, depending on daylight saving.
    assert all(s[11:16] in ("00:30", "01:30") for s in starts)
    first = reply.body["occurrences"][0]
    assert first["ends_at"][11:16] in ("01:00", "02:00")
    assert bad_zone.status == 422 and bad_zone.body["errors"][0]["field"] == "timezone"
    assert bad_cron.status == 422 and bad_cron.body["errors"][0]["field"] == "cron"


async def test_throughput_widgets_read_what_the_recorder_saw(api, settings, nc, js, ch):
    mid = str(uuid.uuid4())
    at = utcnow() - timedelta(minutes=5)
    results = []
    for n in range(4):
        r = result(mid, n, at=at)
        if n % 2:
            r = msgspec.structs.replace(r, status="down", error_kind="timeout", error="slow")
        results.append(r)
    observed = opsamples.Observed()
    # As the recorder's handler does once ClickHouse took the batch: 2 s after the check.
    observed.observe(results, results[-1].checked_at + timedelta(seconds=2))
    stop = asyncio.Event()
    ctx = service.Context("recorder", settings, nc, js, stop, logs.get("test"))
    task = asyncio.create_task(sample_forever(ctx, every_s=1.0, observed=observed))

    async def sampled():
        reply = await api.call("GET", "/api/v1/ops/throughput?window=1h")
        return reply if reply.body["checks"] else None

    try:
        reply = await eventually(sampled, timeout=20)
    finally:
        stop.set()
        await task
    bad = await api.call("GET", "/api/v1/ops/throughput?window=7d")

    body = reply.body
    assert body["checks"] == 4 and body["step_s"] == 60
    # scheduled -> checked is 1 s in these results, 12.5 ms of it the check itself.
    assert body["schedule_lag_p99_ms"] == 987.5
    assert body["check_to_row_p99_ms"] >= 2000
    [kind] = body["error_kinds"]
    assert kind["error_kind"] == "timeout" and sum(n for _, n in kind["points"]) == 2
    assert body["checks_per_s"] is None or body["checks_per_s"] >= 0
    assert bad.status == 422 and bad.body["errors"][0]["field"] == "window"
