"""Job monitors through the api and the recorder's run projection: push signals with
run ids and output, the state in the real KV bucket, the run events on the RESULTS
stream, their rows in ClickHouse, GET /runs and the run statistics."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from services.recorder.main import make_runs_handler
from shared import runner, topology
from shared.events import result_decoder, run_decoder
from tests.conftest import eventually

JOB = {"kind": "heartbeat", "target": "", "heartbeat": {"period_s": 3600, "grace_s": 600}}


@pytest.fixture
async def recorded(settings, js, ch):
    """The recorder's run consumer, on a durable of this test's own."""
    spec = topology.ConsumerSpec("RESULTS", f"runs-{uuid.uuid4().hex[:8]}", f"{topology.RUNS}.>")
    await topology.ensure_consumer(js, spec)
    table = f"{settings.clickhouse_database}.job_runs"
    consumer = runner.Consumer(
        spec=spec,
        decoder=run_decoder,
        batch_handler=make_runs_handler(ch, table),
        fetch_timeout=0.2,
        backoff=runner.Backoff(0.05, 0.5),
    )
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(js, consumer, stop))
    yield
    stop.set()
    await task
    await js.delete_consumer("RESULTS", spec.durable)


async def job(api, **heartbeat) -> tuple[str, str]:
    monitor = await api.monitor(
        name="nightly backup", **{**JOB, "heartbeat": {**JOB["heartbeat"], **heartbeat}}
    )
    return monitor["id"], f"/api/v1/push/{monitor['push_token']}"


async def runs(api, mid: str, count: int, query: str = "") -> list[dict]:
    async def listed():
        reply = await api.call("GET", f"/api/v1/monitors/{mid}/runs?{query}")
        assert reply.status == 200, reply.body
        return reply.body["items"] if len(reply.body["items"]) >= count else None

    return await eventually(listed, timeout=15)


async def test_overlapping_runs_pair_by_rid_and_are_listed_newest_first(api, recorded):
    mid, url = await job(api)
    assert (await api.call("POST", f"{url}/start?rid=a", key=None)).status == 200
    assert (await api.call("GET", f"{url}/start?rid=b", key=None)).status == 200
    done_b = await api.call("POST", f"{url}/0?rid=b", key=None, raw=b"copied 12 files\n")
    assert done_b.status == 200 and done_b.body["outcome"] == "success"
    failed_a = await api.call("POST", f"{url}/2?rid=a", key=None, raw=b"\x1b[31mdisk full\x00")
    assert failed_a.body["outcome"] == "failure" and failed_a.body["status"] == "down"

    newest, oldest = await runs(api, mid, 2)
    assert (newest["rid"], newest["exit_code"], newest["outcome"]) == ("a", 2, "failure")
    assert newest["output"] == "[31mdisk full" and "code 2" in newest["reason"]
    assert newest["started_at"] < oldest["started_at"] and newest["duration_s"] >= 0
    assert (oldest["rid"], oldest["outcome"], oldest["output"]) == (
        "b",
        "success",
        "copied 12 files",
    )


async def test_a_fail_and_a_success_publish_down_then_up_results_at_once(api, js, recorded):
    mid, url = await job(api)
    sub = await js.subscribe(topology.result_subject("default", mid))
    assert (await api.call("POST", f"{url}/fail?msg=no+space", key=None)).status == 200
    down = result_decoder.decode((await sub.next_msg(timeout=5)).data)
    assert down.status == "down" and down.error == "no space"
    assert (await api.call("POST", url, key=None)).body["status"] == "up"
    assert result_decoder.decode((await sub.next_msg(timeout=5)).data).status == "up"
    await sub.unsubscribe()
    outcomes = [r["outcome"] for r in await runs(api, mid, 2)]
    assert outcomes == ["success", "failure"]


async def test_a_log_line_is_recorded_and_changes_no_state(api, recorded):
    mid, url = await job(api)
    await api.call("POST", f"{url}/fail", key=None)
    logged = await api.call("POST", f"{url}/log", key=None, raw=b"step 3 of 5")
    assert logged.body["status"] == "down" and logged.body["outcome"] == "log"
    [line] = await runs(api, mid, 1, "outcome=log")
    assert line["output"] == "step 3 of 5" and line["started_at"] is None


async def test_a_run_longer_than_max_runtime_is_a_failure(api, recorded):
    mid, url = await job(api, max_runtime_s=1)
    await api.call("POST", f"{url}/start", key=None)
    await asyncio.sleep(1.1)  # the run itself must last longer than max_runtime_s
    finished = await api.call("POST", f"{url}/0", key=None)
    assert finished.body["outcome"] == "failure" and finished.body["duration_s"] > 1
    [run] = await runs(api, mid, 1)
    assert "max_runtime_s" in run["reason"]


async def test_stats_count_runs_and_their_durations(api, recorded):
    mid, url = await job(api)
    for code in (0, 0, 0, 1):
        await api.call("POST", f"{url}/start", key=None)
        await api.call("POST", f"{url}/{code}", key=None)
    await runs(api, mid, 4)
    stats = (await api.call("GET", f"/api/v1/monitors/{mid}/stats")).body["runs"]
    assert (stats["runs"], stats["successes"], stats["failures"], stats["missed"]) == (4, 3, 1, 0)
    assert stats["success_rate_pct"] == 75.0
    d = stats["duration_s"]
    assert d["max"] is not None and 0 <= d["p50"] <= d["p95"] <= d["max"]


async def test_pages_of_runs_follow_the_cursor(api, recorded):
    mid, url = await job(api)
    for _ in range(3):
        await api.call("POST", url, key=None)
    await runs(api, mid, 3)
    first = await api.call("GET", f"/api/v1/monitors/{mid}/runs?limit=2")
    assert len(first.body["items"]) == 2 and first.body["next_cursor"]
    rest = await api.call(
        "GET", f"/api/v1/monitors/{mid}/runs?limit=2&cursor={first.body['next_cursor']}"
    )
    assert len(rest.body["items"]) == 1 and rest.body["next_cursor"] is None
    ids = {r["id"] for r in first.body["items"] + rest.body["items"]}
    assert len(ids) == 3


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/sideways", "signal"),
        ("/256", "signal"),
        ("/-1", "signal"),
        ("/start?rid=" + "r" * 65, "rid"),
        ("/start?rid=a%0Ab", "rid"),
        ("/0?msg=" + "m" * 501, "msg"),
        ("/fail?msg=a%1B%5B2Jb", "msg"),
    ],
)
async def test_bad_signals_are_422_naming_the_field(api, path, field):
    _, url = await job(api)
    reply = await api.call("POST", url + path, key=None)
    assert reply.status == 422 and reply.headers["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in reply.body["errors"]] == [field]


async def test_concurrent_starts_and_ends_all_pair_up(api, recorded):
    mid, url = await job(api)
    rids = [f"run-{i}" for i in range(8)]
    starts = [api.call("POST", f"{url}/start?rid={rid}", key=None) for rid in rids]
    assert {r.status for r in await asyncio.gather(*starts)} == {200}
    ends = [api.call("POST", f"{url}/0?rid={rid}", key=None) for rid in rids]
    replies = await asyncio.gather(*ends)
    # Each end found its own start although all of them raced on one state.
    assert all(r.body["duration_s"] is not None for r in replies)
    assert {r["rid"] for r in await runs(api, mid, 8)} == set(rids)


async def test_a_body_over_the_api_limit_is_a_413_problem(api):
    _, url = await job(api)
    reply = await api.call("POST", f"{url}/0", key=None, raw=b"x" * (2 * 1024 * 1024))
    assert reply.status == 413 and reply.headers["Content-Type"] == "application/problem+json"


async def test_a_signal_for_an_unknown_token_is_404(api):
    assert (await api.call("POST", "/api/v1/push/not-a-token/start", key=None)).status == 404


async def test_bad_run_queries_are_422(api):
    mid, _ = await job(api)
    for query, field in (("outcome=maybe", "outcome"), ("cursor=xyz", "cursor")):
        reply = await api.call("GET", f"/api/v1/monitors/{mid}/runs?{query}")
        assert reply.status == 422 and reply.body["errors"][0]["field"] == field


async def test_a_cron_schedule_in_an_unknown_zone_is_422(api):
    body = {"name": "j", **JOB, "heartbeat": {"cron": "0 3 * * *", "timezone": "Mars/Base"}}
    reply = await api.call("POST", "/api/v1/monitors", body)
    assert reply.status == 422 and reply.body["errors"][0]["field"] == "heartbeat.timezone"
