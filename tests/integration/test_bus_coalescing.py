"""Publishes of many tasks share pipelined sends, each caller with its own outcome,
against a real nats-server and the deployment's streams."""

from __future__ import annotations

import asyncio

import nats.js.errors
import pytest

from shared import bus, topology


class Counting(bus.JetStream):
    """The real context, also noting how many publishes each pipelined send carried."""

    sends: list[int]

    async def publish_each(self, items, timeout=10.0):
        self.sends = [*getattr(self, "sends", []), len(items)]
        return await super().publish_each(items, timeout)


def subject(n: int) -> str:
    return topology.result_subject("eu", f"m{n}")


async def test_publishes_queued_together_share_one_send_and_each_gets_its_ack(nc):
    js = Counting(nc, deadline_s=5)
    publisher = bus.Coalescing(js)
    acks = await asyncio.gather(
        *(publisher.publish(subject(n), b"{}", {bus.MSG_ID: f"c{n}"}) for n in range(100))
    )
    assert js.sends == [100]
    assert len({ack.seq for ack in acks}) == 100
    assert {ack.stream for ack in acks} == {"RESULTS"}
    assert (await js.stream_info("RESULTS")).state.messages == 100


async def test_a_republished_message_id_is_acked_as_a_duplicate(nc):
    publisher = bus.Coalescing(bus.jetstream(nc))
    first = await publisher.publish(subject(1), b"{}", {bus.MSG_ID: "same"})
    again = await publisher.publish(subject(1), b"{}", {bus.MSG_ID: "same"})
    assert (first.duplicate, again.duplicate, again.seq) == (None, True, first.seq)


async def test_a_refused_publish_fails_only_its_own_caller(nc):
    publisher = bus.Coalescing(bus.jetstream(nc))
    wrong_stream = {bus.MSG_ID: "x", "Nats-Expected-Stream": "NOT-RESULTS"}
    fine, refused = await asyncio.gather(
        publisher.publish(subject(1), b"{}", {bus.MSG_ID: "ok"}),
        publisher.publish(subject(2), b"{}", wrong_stream),
        return_exceptions=True,
    )
    assert fine.stream == "RESULTS"
    assert isinstance(refused, nats.js.errors.APIError)


async def test_a_publish_nobody_stores_fails_once_the_deadline_passes(nc):
    publisher = bus.Coalescing(bus.jetstream(nc, publish_deadline_s=0.6))
    with pytest.raises(bus.PublishFailed):
        await publisher.publish("nowhere.at.all", b"{}", {bus.MSG_ID: "lost"})
