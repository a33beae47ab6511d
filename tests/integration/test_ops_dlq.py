"""Dead letters through the api: listed with their error and decoded event, retried
onto their original subject, discarded; dead-lettered the way the runner does it."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import UTC, datetime, timedelta

from services.api import keys
from shared import bus, runner, topology
from shared.events import CheckResult, delivery_decoder, result_decoder
from shared.runner import Backoff, Consumer, Reject
from tests.conftest import eventually

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def result(monitor_id: str, slot: int, region: str = "default", at: datetime = T0) -> CheckResult:
    scheduled = at + timedelta(minutes=slot)
    return CheckResult(
        check_id=f"{monitor_id}:{slot}",
        monitor_id=monitor_id,
        region=region,
        scheduled_at=scheduled,
        checked_at=scheduled + timedelta(seconds=1),
        status="up",
        latency_ms=12.5,
    )


async def publish_results(js, results: list[CheckResult]) -> list[int]:
    acks = [
        await bus.publish(js, topology.result_subject(r.region, r.monitor_id), r) for r in results
    ]
    return [a.seq for a in acks]


async def dead_letter(js, results: list[CheckResult], reason: str = "poison") -> None:
    """Publish results and let a recorder-like consumer reject them into the DLQ."""
    async with rejecting(js, reason, expect=len(results)):
        await publish_results(js, results)


@contextlib.asynccontextmanager
async def rejecting(js, reason: str, expect: int, spec=topology.RECORDER, decoder=result_decoder):
    """A runner whose handler rejects everything, until `expect` more dead letters exist."""

    async def reject(_env) -> None:
        raise Reject(reason)

    before = (await js.stream_info("DLQ")).state.last_seq
    stop = asyncio.Event()
    consumer = Consumer(spec=spec, decoder=decoder, handler=reject, backoff=Backoff(0.05, 0.1))
    task = asyncio.create_task(runner.run(js, consumer, stop))
    try:
        yield

        async def all_dead() -> bool:
            return (await js.stream_info("DLQ")).state.last_seq == before + expect

        await eventually(all_dead)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)


async def delivered_again(js, seq_after: int) -> list[CheckResult]:
    """What the recorder's durable consumer now gets: the retried messages."""
    seen: list[CheckResult] = []

    async def accept(env) -> None:
        if env.stream_seq > seq_after:
            seen.append(env.event)

    stop = asyncio.Event()
    consumer = Consumer(spec=topology.RECORDER, decoder=result_decoder, handler=accept)
    task = asyncio.create_task(runner.run(js, consumer, stop))
    await eventually(lambda: _true(seen))
    stop.set()
    await asyncio.wait_for(task, 10)
    return seen


async def _true(value) -> bool:
    return bool(value)


async def test_dead_letters_are_listed_with_error_attempts_and_event(api, js):
    mid = str(uuid.uuid4())
    await dead_letter(js, [result(mid, 1), result(mid, 2)], reason="cannot store this")

    reply = await api.call("GET", "/api/v1/ops/dlq")

    assert reply.status == 200, reply.body
    first = reply.body["items"][0]
    assert first["subject"] == f"checks.result.default.{mid}"
    assert first["stream"] == "RESULTS" and first["consumer"] == "recorder"
    assert first["error"] == "cannot store this" and first["attempts"] == 1
    assert first["event"]["type"] == "check.result" and first["event"]["check_id"] == f"{mid}:1"
    assert first["id"].isdigit() and first["failed_at"].endswith("Z")
    assert reply.body["next_cursor"] is None


async def test_retry_republishes_to_the_original_subject_and_removes_the_copy(api, js):
    mid = str(uuid.uuid4())
    await dead_letter(js, [result(mid, 1)])
    item = (await api.call("GET", "/api/v1/ops/dlq")).body["items"][0]
    last_seq = (await js.stream_info("RESULTS")).state.last_seq

    reply = await api.call("POST", f"/api/v1/ops/dlq/{item['id']}/retry")

    assert reply.status == 200, reply.body
    assert reply.body["stream"] == "RESULTS" and reply.body["seq"] > last_seq
    assert reply.body["subject"] == f"checks.result.default.{mid}"
    again = await delivered_again(js, last_seq)
    assert [r.check_id for r in again] == [f"{mid}:1"]
    assert (await api.call("GET", "/api/v1/ops/dlq")).body["items"] == []
    raw = await js.get_msg("RESULTS", reply.body["seq"])
    assert not any(k.startswith("Upmon-") for k in raw.headers or {})
    gone = await api.call("POST", f"/api/v1/ops/dlq/{item['id']}/retry")
    assert gone.status == 404


async def test_discard_deletes_and_unknown_ids_are_404(api, js):
    mid = str(uuid.uuid4())
    await dead_letter(js, [result(mid, 1)])
    item = (await api.call("GET", "/api/v1/ops/dlq")).body["items"][0]

    assert (await api.call("DELETE", f"/api/v1/ops/dlq/{item['id']}")).status == 204
    assert (await api.call("DELETE", f"/api/v1/ops/dlq/{item['id']}")).status == 404
    assert (await api.call("DELETE", "/api/v1/ops/dlq/999")).status == 404
    assert (await api.call("POST", "/api/v1/ops/dlq/nope/retry")).status == 404
    assert (await api.call("GET", "/api/v1/ops/dlq")).body["items"] == []


async def test_pages_follow_the_cursor_across_deleted_letters(api, js):
    mid = str(uuid.uuid4())
    await dead_letter(js, [result(mid, n) for n in range(5)])
    ids = [i["id"] for i in (await api.call("GET", "/api/v1/ops/dlq")).body["items"]]
    await api.call("DELETE", f"/api/v1/ops/dlq/{ids[2]}")

    first = await api.call("GET", "/api/v1/ops/dlq?limit=2")
    second = await api.call("GET", f"/api/v1/ops/dlq?limit=2&cursor={first.body['next_cursor']}")

    assert [i["id"] for i in first.body["items"]] == ids[:2]
    assert [i["id"] for i in second.body["items"]] == ids[3:]
    assert second.body["next_cursor"] is None
    bad = await api.call("GET", "/api/v1/ops/dlq?cursor=garbage")
    assert bad.status == 422 and bad.body["errors"][0]["field"] == "cursor"


async def test_undecodable_payload_is_shown_as_text(api, js):
    await js.publish("dlq.checks.result.default.x", b"not json", headers={"Upmon-Attempts": "3"})

    item = (await api.call("GET", "/api/v1/ops/dlq")).body["items"][0]

    assert item["text"] == "not json" and item["event"] is None
    assert item["subject"] == "checks.result.default.x" and item["attempts"] == 3


async def test_dlq_needs_an_admin_key(api, pool):
    _, writer = await keys.create_api_key(pool, "writer", "write")
    assert (await api.call("GET", "/api/v1/ops/dlq", key=writer)).status == 403
    assert (await api.call("GET", "/api/v1/ops/dlq", key=None)).status == 401


async def test_a_retried_work_queue_message_can_fail_and_be_dead_lettered_again(api, js):
    """NOTIFY is a work queue; the republished copy must be as dead-letterable as the first."""
    async with rejecting(js, "no", 1, topology.NOTIFIER_DELIVER, delivery_decoder):
        await js.publish("notify.deliver.webhook.c1", b"{}", headers={"X-Trace": "t1"})
    first = (await api.call("GET", "/api/v1/ops/dlq")).body["items"][0]
    assert first["stream"] == "NOTIFY" and first["text"] == "{}"

    async with rejecting(js, "no", 1, topology.NOTIFIER_DELIVER, delivery_decoder):
        retried = await api.call("POST", f"/api/v1/ops/dlq/{first['id']}/retry")
        assert retried.status == 200 and retried.body["stream"] == "NOTIFY"

    (again,) = (await api.call("GET", "/api/v1/ops/dlq")).body["items"]
    assert again["id"] != first["id"] and again["subject"] == "notify.deliver.webhook.c1"
    raw = await js.get_msg("DLQ", int(again["id"]))
    assert raw.headers["X-Trace"] == "t1"


async def test_retry_to_a_subject_no_stream_takes_is_409(api, js):
    await js.publish(
        "dlq.gone.subject",
        b"{}",
        headers={"Upmon-Original-Subject": "gone.subject", "Upmon-Original-Stream": "GONE"},
    )
    item = (await api.call("GET", "/api/v1/ops/dlq")).body["items"][0]

    reply = await api.call("POST", f"/api/v1/ops/dlq/{item['id']}/retry")

    assert reply.status == 409 and "no stream takes gone.subject" in reply.body["detail"]
    assert len((await api.call("GET", "/api/v1/ops/dlq")).body["items"]) == 1


# -- filters and bulk actions --------------------------------------------------------------


async def two_kinds(js) -> tuple[str, str]:
    """Three dead letters of the recorder (two in region eu) and one of notifier-state."""
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    await dead_letter(
        js, [result(a, 1, "eu"), result(a, 2, "eu"), result(b, 1)], reason="insert failed in 3 s"
    )
    async with rejecting(js, "state conflict", 1, topology.NOTIFIER_STATE):
        await publish_results(js, [result(b, 2)])
    return a, b


async def test_the_list_filters_by_subject_consumer_and_error(api, js):
    a, _ = await two_kinds(js)

    by_subject = await api.call("GET", "/api/v1/ops/dlq?subject=checks.result.eu.>")
    by_consumer = await api.call("GET", "/api/v1/ops/dlq?consumer=notifier-state")
    by_error = await api.call("GET", "/api/v1/ops/dlq?error=INSERT%20FAILED&limit=2")
    future = await api.call("GET", "/api/v1/ops/dlq?since=2999-01-01T00:00:00Z")

    assert [i["subject"] for i in by_subject.body["items"]] == [f"checks.result.eu.{a}"] * 2
    assert [i["error"] for i in by_consumer.body["items"]] == ["state conflict"]
    assert len(by_error.body["items"]) == 2 and by_error.body["next_cursor"]
    rest = await api.call(
        "GET", f"/api/v1/ops/dlq?error=insert&cursor={by_error.body['next_cursor']}"
    )
    assert len(rest.body["items"]) == 1 and rest.body["next_cursor"] is None
    assert future.body["items"] == []
    bad = await api.call("GET", "/api/v1/ops/dlq?since=yesterday")
    assert bad.status == 422 and bad.body["errors"][0]["field"] == "since"
    long = await api.call("GET", "/api/v1/ops/dlq?error=" + "x" * 300)
    assert long.status == 422 and long.body["errors"][0]["field"] == "error"


async def test_bulk_retry_by_filter_reports_counts_and_a_dry_run_changes_nothing(api, js):
    a, _ = await two_kinds(js)
    last_seq = (await js.stream_info("RESULTS")).state.last_seq

    dry = await api.call("POST", "/api/v1/ops/dlq:retry", {"consumer": "recorder", "dry_run": True})
    assert dry.status == 200, dry.body
    assert (dry.body["matched"], dry.body["affected"], len(dry.body["ids"])) == (3, 0, 3)
    assert (await js.stream_info("DLQ")).state.messages == 4

    done = await api.call(
        "POST", "/api/v1/ops/dlq:retry", {"consumer": "recorder", "subject": "checks.result.eu.*"}
    )

    assert (done.body["matched"], done.body["affected"]) == (2, 2)
    again = await delivered_again(js, last_seq)
    assert sorted(r.check_id for r in again) == [f"{a}:1", f"{a}:2"]
    left = (await api.call("GET", "/api/v1/ops/dlq")).body["items"]
    assert sorted(i["consumer"] for i in left) == ["notifier-state", "recorder"]


async def test_bulk_discard_of_all_or_of_ids_and_an_empty_filter_is_refused(api, js):
    await two_kinds(js)
    ids = [i["id"] for i in (await api.call("GET", "/api/v1/ops/dlq")).body["items"]]

    empty = await api.call("POST", "/api/v1/ops/dlq:discard", {})
    unknown = await api.call("POST", "/api/v1/ops/dlq:discard", {"everything": True})
    some = await api.call("POST", "/api/v1/ops/dlq:discard", {"ids": [int(ids[0]), 99999]})
    rest = await api.call("POST", "/api/v1/ops/dlq:discard", {"all": True})

    assert empty.status == 422 and empty.body["errors"][0]["field"] == "all"
    assert unknown.status == 422 and unknown.body["errors"][0]["field"] == "everything"
    assert (some.body["matched"], some.body["affected"], some.body["ids"]) == (1, 1, ids[:1])
    assert (rest.body["matched"], rest.body["affected"]) == (3, 3)
    assert (await js.stream_info("DLQ")).state.messages == 0


async def test_purge_drops_only_letters_older_than_the_span(api, js):
    await two_kinds(js)

    young = await api.call("POST", "/api/v1/ops/dlq:purge", {"older_than": "1h"})
    bad = await api.call("POST", "/api/v1/ops/dlq:purge", {"older_than": "a week"})
    dry = await api.call("POST", "/api/v1/ops/dlq:purge", {"older_than": "0s", "dry_run": True})
    old = await api.call("POST", "/api/v1/ops/dlq:purge", {"older_than": "0s"})

    assert young.status == 200 and young.body["affected"] == 0
    assert bad.status == 422 and bad.body["errors"][0]["field"] == "older_than"
    assert (dry.body["matched"], dry.body["affected"]) == (4, 0)
    assert old.body["affected"] == 4 and (await js.stream_info("DLQ")).state.messages == 0


async def test_report_names_the_top_reasons_by_consumer_and_error_class(api, js):
    await two_kinds(js)

    reply = await api.call("GET", "/api/v1/ops/dlq/report")

    assert reply.status == 200, reply.body
    assert reply.body["total"] == 4
    day = reply.body["windows"][0]
    assert day["window"] == "24h" and day["total"] == 4
    top = [(r["consumer"], r["error_class"], r["count"]) for r in day["reasons"]]
    assert top == [("recorder", "insert failed in # s", 3), ("notifier-state", "state conflict", 1)]
