"""`upmon backup` of a running `upmon up` stack with monitors, incidents and results,
then `upmon restore` into a fresh data dir: a second stack started there serves
everything again through the api."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from urllib.parse import urlsplit

import aiohttp

from stack.parts import free_port
from tests.conftest import eventually
from tests.e2e.test_up import Up, target, up  # noqa: F401 - fixtures


async def _get(api: aiohttp.ClientSession, path: str):
    async with api.get(path) as resp:
        assert resp.status == 200, await resp.text()
        return await resp.json()


async def test_backup_of_a_running_stack_restores_into_a_fresh_data_dir(up, target, tmp_path):  # noqa: F811
    await up.start()
    key = up.admin_key()
    headers = {"Authorization": f"Bearer {key}"}
    down = f"http://127.0.0.1:{free_port()}/"
    async with aiohttp.ClientSession(base_url=up.api, headers=headers) as api:
        ids = {}
        for name, url in (("up", target), ("down", down)):
            body = {"name": name, "kind": "http", "target": url, "interval_s": 1, "timeout_s": 0.5}
            async with api.post("/api/v1/monitors", json={**body, "failure_threshold": 1}) as r:
                assert r.status == 201, await r.text()
                ids[name] = (await r.json())["id"]

        async def results(mid: str, n: int):
            items = (await _get(api, f"/api/v1/monitors/{mid}/results?limit=500"))["items"]
            return items if len(items) >= n else None

        job = {"name": "nightly", "kind": "heartbeat", "interval_s": 1}
        async with api.post(
            "/api/v1/monitors", json={**job, "heartbeat": {"period_s": 3600, "grace_s": 3600}}
        ) as r:
            assert r.status == 201, await r.text()
            heartbeat = await r.json()
        push = urlsplit(heartbeat["push_url"]).path
        async with api.post(f"{push}/start", params={"rid": "b1"}) as r:
            assert r.status == 200, await r.text()
        started = datetime.now(UTC)
        await eventually(lambda: results(ids["up"], 2), timeout=30)
        await eventually(lambda: results(ids["down"], 2), timeout=30)

        async def incident():
            return (await _get(api, f"/api/v1/incidents?monitor_id={ids['down']}"))["items"]

        [opened] = await eventually(incident, timeout=30)

        async def recorded():
            found = await _get(api, "/api/v1/ops/throughput?window=1h")
            return found if found["checks"] and found["error_kinds"] else None

        # The recorder's history sample (every 10 s) has what it stored, failures by kind.
        throughput = await eventually(recorded, timeout=30)
        assert throughput["schedule_lag_p99_ms"] is not None
        assert [k["error_kind"] for k in throughput["error_kinds"]] == ["refused"]
        before = {name: await results(mid, 1) for name, mid in ids.items()}
        events = (await _get(api, "/api/v1/ops/events?stream=INCIDENTS&limit=100"))["items"]
        backup = up.cli("backup", str(tmp_path / "backup"))
        assert backup.returncode == 0, backup.stderr
    up.stop()
    assert "MONITORS 3 messages" in backup.stdout and "INCIDENTS" in backup.stdout
    assert "KV_upmon_heartbeats 1 messages" in backup.stdout

    damaged = tmp_path / "damaged"
    shutil.copytree(tmp_path / "backup", damaged)
    with (damaged / "streams" / "MONITORS.snap").open("ab") as f:
        f.write(b"\0")
    refused = up.cli("--data-dir", str(tmp_path / "c"), "restore", str(damaged))
    assert refused.returncode == 1 and "does not match its checksum" in refused.stderr
    busy = up.cli("restore", str(tmp_path / "backup"))  # the first stack's data dir
    assert busy.returncode == 1 and "is not empty" in busy.stderr

    fresh = Up(tmp_path / "fresh")
    fresh.cwd.mkdir()
    restored = fresh.cli("restore", str(tmp_path / "backup"))
    assert restored.returncode == 0, restored.stderr
    assert "checksums verified" in restored.stdout
    # The notifier's position comes back with INCIDENTS: no event alerts a second time.
    assert re.search(r"INCIDENTS: [1-9]\d*, .*incident events left to dispatch: 0", restored.stdout)
    try:
        await fresh.start()
        assert fresh.admin_key() is None  # the users and keys came back
        async with aiohttp.ClientSession(base_url=fresh.api, headers=headers) as api:
            monitors = (await _get(api, "/api/v1/monitors"))["items"]
            assert sorted(m["id"] for m in monitors) == sorted([*ids.values(), heartbeat["id"]])
            # The job's open run came back with the heartbeat bucket: finishing it now
            # times it from the start made before the backup.
            async with api.post(f"{push}/0", params={"rid": "b1"}) as r:
                assert r.status == 200, await r.text()

            async def runs():
                path = f"/api/v1/monitors/{heartbeat['id']}/runs"
                return (await _get(api, path))["items"]

            [run] = await eventually(runs, timeout=30)
            assert run["rid"] == "b1" and run["outcome"] == "success"
            assert datetime.fromisoformat(run["started_at"]) <= started
            [again] = (await _get(api, f"/api/v1/incidents?monitor_id={ids['down']}"))["items"]
            assert again["id"] == opened["id"] and again["opened_at"] == opened["opened_at"]
            for name, mid in ids.items():
                now = (await _get(api, f"/api/v1/monitors/{mid}/results?limit=500"))["items"]
                old = {r["check_id"] for r in before[name]}
                assert old <= {r["check_id"] for r in now}, name
            # The streams come back as they were: the same sequences and times.
            again_events = await _get(api, "/api/v1/ops/events?stream=INCIDENTS&limit=100")
            shown = [(e["seq"], e["time"]) for e in again_events["items"][: len(events)]]
            assert shown == [(e["seq"], e["time"]) for e in events] != []
            stats = await _get(api, f"/api/v1/monitors/{ids['up']}/stats?window=1h")
            assert stats["checks"] >= len(before["up"])
    finally:
        fresh.stop()
