"""Streams, consumers and KV buckets are provisioned idempotently and updated in place."""

from __future__ import annotations

import dataclasses

import msgspec

from shared import topology


async def test_ensure_creates_every_stream_consumer_and_bucket(js, settings):
    names = {info.config.name for info in await js.streams_info()}
    assert {"MONITORS", "CHECKS", "RESULTS", "INCIDENTS", "NOTIFY", "DLQ"} <= names
    for spec in [*topology.CONSUMERS, topology.executor_consumer(settings.region)]:
        info = await js.consumer_info(spec.stream, spec.durable)
        assert info.config.filter_subject == spec.filter_subject
    assert await js.key_value(topology.LIVENESS_BUCKET)


async def test_ensure_twice_changes_nothing(js, settings):
    for cfg in topology.streams(settings):
        assert await topology.ensure_stream(js, cfg) == "unchanged"
    for spec in topology.CONSUMERS:
        assert await topology.ensure_consumer(js, spec) == "unchanged"


async def test_changed_stream_config_is_updated_in_place(js, settings):
    await js.publish("checks.result.default.m1", b"{}")
    longer = msgspec.structs.replace(settings, results_max_age_days=30.0)
    [results] = [c for c in topology.streams(longer) if c.name == "RESULTS"]
    assert await topology.ensure_stream(js, results) == "updated"
    info = await js.stream_info("RESULTS")
    assert abs(info.config.max_age - 30 * topology.DAY) < 1
    assert info.state.messages == 1


async def test_ensure_twice_leaves_buckets_unchanged(js, settings):
    for kv in topology.KV_BUCKETS:
        assert await topology.ensure_bucket(js, kv) == "unchanged"


async def test_changed_bucket_ttl_is_updated_in_place_keeping_its_keys(js, settings):
    [leases] = [kv for kv in topology.KV_BUCKETS if kv.bucket == topology.LEASES_BUCKET]
    bucket = await js.key_value(leases.bucket)
    await bucket.put("p1", b"replica-a")
    changed = dataclasses.replace(leases, ttl=leases.ttl * 10)

    assert await topology.ensure_bucket(js, changed) == "updated"

    info = await js.stream_info(f"KV_{leases.bucket}")
    assert abs(info.config.max_age - leases.ttl * 10) < 1e-3
    assert (await bucket.get("p1")).value == b"replica-a"
    assert await topology.ensure_bucket(js, changed) == "unchanged"


async def test_changed_consumer_config_is_updated_keeping_its_position(js, settings):
    await js.publish("checks.result.default.m1", b"{}")
    sub = await js.pull_subscribe_bind("recorder", "RESULTS")
    [msg] = await sub.fetch(1, timeout=2)
    await msg.ack_sync()
    changed = topology.ConsumerSpec("RESULTS", "recorder", "checks.result.>", ack_wait_s=45)
    assert await topology.ensure_consumer(js, changed) == "updated"
    info = await js.consumer_info("RESULTS", "recorder")
    assert abs(info.config.ack_wait - 45) < 0.01
    assert info.delivered.stream_seq == 1 and info.num_pending == 0
