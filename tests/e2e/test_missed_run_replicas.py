"""A missed run alerts exactly once with two notifier replicas, one of them killed -9
the moment the run is found missed, through the running stack (real processes).

The executor's check of the heartbeat finds the deadline passed and publishes a down
result and the missed run; both notifier replicas share the durable consumers of
those results and of the incident and delivery streams. Whatever the killed replica
had fetched and not acknowledged comes back to the other one (or to its restart)
after the consumer's ack wait, so the test waits for every consumer to drain before
it counts: one incident, one delivery of `monitor.down`, one missed run."""

from __future__ import annotations

import asyncio

import msgspec

from shared import liveness, topology
from tests.conftest import eventually
from tests.e2e.test_heartbeat import heartbeat_monitor, ping

NOTIFIER_CONSUMERS = (
    topology.NOTIFIER_STATE,
    topology.NOTIFIER_DISPATCH,
    topology.NOTIFIER_DELIVER,
)
# Up to the longest ack wait of the notifier's consumers (deliveries: 60 s), in case
# the killed replica held the message, plus the time to act on it.
REDELIVERED_WITHIN_S = topology.NOTIFIER_DELIVER.ack_wait_s + 30


async def _live(stack, replica: str) -> bool:
    pid = stack.procs[replica].pid
    return any(r.service == "notifier" and r.pid == pid for r in await liveness.replicas(stack.js))


async def _first_late_result(sub) -> dict:
    """The first result that says the job's deadline passed."""
    while True:
        msg = await sub.next_msg(timeout=20)
        result = msgspec.json.decode(msg.data)
        if result.get("error_kind") in ("heartbeat_late", "heartbeat_missing"):
            return result


async def _drained(js) -> bool:
    for spec in NOTIFIER_CONSUMERS:
        info = await js.consumer_info(spec.stream, spec.durable)
        if info.num_pending or info.num_ack_pending:
            return False
    return True


async def test_a_missed_run_alerts_once_with_two_notifiers_and_one_killed(
    stack, api, receiver, pool, nc
):
    stack.start("notifier", replica="notifier-2")
    await eventually(lambda: _live(stack, "notifier-2"), timeout=30)
    monitor = await heartbeat_monitor(api, receiver, heartbeat={"period_s": 3, "grace_s": 1})
    mid, url = monitor["id"], monitor["push_url"]
    results = await nc.subscribe(topology.result_subject("default", mid))
    assert await ping(url) == 200

    late = await _first_late_result(results)
    # Killed as the run is found missed: before its incident, its alert, or both.
    stack.kill("notifier-2")
    assert "last ping" in late["error"]

    await eventually(lambda: _heard(receiver, "monitor.down"), timeout=REDELIVERED_WITHIN_S)
    stack.start("notifier", replica="notifier-2")  # what compose's restart policy does
    await eventually(lambda: _live(stack, "notifier-2"), timeout=30)
    # The job comes back, on a schedule the rest of the test cannot miss.
    patch = {"heartbeat": {"period_s": 3600, "grace_s": 600}}
    async with api.patch(f"/api/v1/monitors/{mid}", json=patch) as resp:
        assert resp.status == 200, await resp.text()
    assert await ping(url) == 200
    await eventually(lambda: _heard(receiver, "monitor.up"), timeout=REDELIVERED_WITHIN_S)
    # No more checks: what is left to count is what the replicas still hold.
    async with api.post(f"/api/v1/monitors/{mid}/pause") as resp:
        assert resp.status == 200
    await eventually(lambda: _drained(stack.js), timeout=REDELIVERED_WITHIN_S)
    await results.unsubscribe()

    assert receiver.events() == ["monitor.down", "monitor.up"]
    [down, up] = receiver.received
    assert down[0]["incident"]["id"] == up[0]["incident"]["id"]
    assert down[1]["X-Upmon-Delivery"] != up[1]["X-Upmon-Delivery"]
    incidents = await pool.fetch(
        "SELECT status, cause FROM incidents WHERE monitor_id = $1::uuid", mid
    )
    assert [r["status"] for r in incidents] == ["resolved"]

    async def missed_runs():
        async with api.get(f"/api/v1/monitors/{mid}/runs?outcome=missed") as resp:
            return (await resp.json())["items"]

    # Every check past the deadline reports the same missed run: it is kept once.
    [missed] = await eventually(missed_runs, timeout=15)
    assert missed["late"] and "no run by" in missed["reason"]


async def _heard(receiver, event: str) -> bool:
    await asyncio.sleep(0)
    return event in receiver.events()
