"""GET /api/v1/ops/events: a time window of a stream, decoded, paged, filtered."""

from __future__ import annotations

import asyncio
import uuid

from shared.events import utcnow
from tests.integration.test_ops_dlq import publish_results, result


async def three_phases(js) -> tuple[str, str, list[int]]:
    """Results published before, inside and after a window; returns its bounds."""
    mid = str(uuid.uuid4())
    seqs = await publish_results(js, [result(mid, 0)])
    await asyncio.sleep(0.05)
    since = utcnow().isoformat()
    seqs += await publish_results(js, [result(mid, n) for n in (1, 2, 3)])
    await asyncio.sleep(0.05)
    until = utcnow().isoformat()
    await asyncio.sleep(0.05)
    seqs += await publish_results(js, [result(mid, 4)])
    return since.replace("+00:00", "Z"), until.replace("+00:00", "Z"), seqs


async def test_window_returns_decoded_events_between_since_and_until(api, js):
    since, until, seqs = await three_phases(js)

    reply = await api.call("GET", f"/api/v1/ops/events?stream=RESULTS&since={since}&until={until}")

    assert reply.status == 200, reply.body
    items = reply.body["items"]
    assert [i["seq"] for i in items] == seqs[1:4]
    assert all(i["event"]["type"] == "check.result" for i in items)
    assert items[0]["subject"].startswith("checks.result.default.")
    assert items[0]["time"] >= since and reply.body["next_cursor"] is None


async def test_pages_continue_from_the_cursor(api, js):
    _, _, seqs = await three_phases(js)

    first = await api.call("GET", "/api/v1/ops/events?stream=RESULTS&limit=2")
    cursor = first.body["next_cursor"]
    rest = await api.call("GET", f"/api/v1/ops/events?stream=RESULTS&limit=10&cursor={cursor}")

    assert [i["seq"] for i in first.body["items"]] == seqs[:2]
    assert [i["seq"] for i in rest.body["items"]] == seqs[2:]
    assert rest.body["next_cursor"] is None


async def test_subject_filter_and_undecodable_payloads(api, js):
    mine, other = str(uuid.uuid4()), str(uuid.uuid4())
    await publish_results(js, [result(mine, 1), result(other, 1, region="eu")])
    await js.publish(f"checks.result.default.{mine}", b"\xff\x00binary")

    reply = await api.call(
        "GET", f"/api/v1/ops/events?stream=RESULTS&subject=checks.result.*.{mine}"
    )

    items = reply.body["items"]
    assert [i["subject"].rsplit(".", 1)[1] for i in items] == [mine, mine]
    assert items[0]["event"]["monitor_id"] == mine
    assert items[1]["event"] is None and items[1]["payload_b64"] == "/wBiaW5hcnk="


async def test_empty_window_is_an_empty_page(api, js):
    await publish_results(js, [result(str(uuid.uuid4()), 1)])

    reply = await api.call("GET", "/api/v1/ops/events?stream=RESULTS&since=2999-01-01T00:00:00Z")

    assert reply.status == 200 and reply.body == {"items": [], "next_cursor": None}


async def test_bad_parameters_are_422_naming_the_field(api):
    cases = {
        "stream=NOPE": "stream",
        "": "stream",
        "stream=RESULTS&since=yesterday": "since",
        "stream=RESULTS&until=2024-13-01": "until",
        "stream=RESULTS&subject=monitors.events.>": "subject",
        "stream=RESULTS&subject=checks..x": "subject",
        "stream=RESULTS&since=2024-05-02T00:00:00Z&until=2024-05-01T00:00:00Z": "until",
        "stream=RESULTS&limit=0": "limit",
    }
    for query, field in cases.items():
        reply = await api.call("GET", f"/api/v1/ops/events?{query}")
        assert reply.status == 422, (query, reply.body)
        assert reply.body["errors"][0]["field"] == field, query


async def test_events_need_an_admin_key(api):
    assert (await api.call("GET", "/api/v1/ops/events?stream=RESULTS", key=None)).status == 401


async def test_work_queue_streams_are_read_without_a_second_consumer(api, js):
    await js.publish("notify.deliver.webhook.c1", b"{}")
    await js.publish("notify.deliver.slack.c2", b"{}")

    everything = await api.call("GET", "/api/v1/ops/events?stream=NOTIFY")
    slack = await api.call("GET", "/api/v1/ops/events?stream=NOTIFY&subject=notify.deliver.slack.*")

    assert [i["seq"] for i in everything.body["items"]] == [1, 2]
    assert [i["subject"] for i in slack.body["items"]] == ["notify.deliver.slack.c2"]
    consumers = [c.name for c in await js.consumers_info("NOTIFY")]
    assert consumers == ["notifier-deliver"]
