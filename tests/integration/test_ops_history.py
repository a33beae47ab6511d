"""Operations history: recorder samplers write queue depth and rates into ClickHouse,
one replica at a time (a lease), and the api reads it back."""

from __future__ import annotations

import asyncio
import uuid

import msgspec

from services.recorder.sampler import sample_forever
from shared import logs, opsamples, service
from tests.conftest import eventually
from tests.integration.test_ops_dlq import publish_results, result


async def rows_for(ch, settings, metric: str, final: bool) -> list[tuple]:
    table = f"`{settings.clickhouse_database}`.{opsamples.TABLE}{' FINAL' if final else ''}"
    query = f"SELECT at, value FROM {table} WHERE metric = '{metric}' AND consumer = 'recorder'"
    return (await ch.query(query)).result_rows


async def test_one_of_two_samplers_samples_the_other_takes_over_and_the_api_serves_it(
    api, settings, nc, js, ch, monkeypatch
):
    taken: list[tuple[str, float]] = []
    take = opsamples.take

    async def counted(*args):
        taken.append((asyncio.current_task().get_name(), args[1]))
        return await take(*args)

    monkeypatch.setattr(opsamples, "take", counted)
    mid = str(uuid.uuid4())
    await publish_results(js, [result(mid, n) for n in range(7)])
    stops = {name: asyncio.Event() for name in ("r1", "r2")}
    samplers = {
        name: asyncio.create_task(
            sample_forever(
                service.Context(
                    "recorder",
                    msgspec.structs.replace(settings, replica_id=name),
                    nc,
                    js,
                    stop,
                    logs.get("test"),
                ),
                every_s=1.0,
            ),
            name=name,
        )
        for name, stop in stops.items()
    }
    try:
        # Several rounds of both replicas: rates exist, and only the lease holder sampled.
        await eventually(lambda: rows_for(ch, settings, "rate_out", final=False), timeout=30)
        await eventually(lambda: _true(len(taken) > 6), timeout=30)
        holders = {name for name, _ in taken}
        assert len(holders) == 1, holders
        (holder,) = holders
        other = ({"r1", "r2"} - holders).pop()
        stops[holder].set()
        await samplers[holder]
        before = len(taken)
        # A holder that stops hands over at once; the other samples from its next round.
        await eventually(lambda: _true(len(taken) > before + 2), timeout=30)
        assert {name for name, _ in taken[before:]} == {other}
    finally:
        for stop in stops.values():
            stop.set()
        await asyncio.gather(*samplers.values())

    kept = await rows_for(ch, settings, "pending", final=True)
    buckets = {opsamples.bucket(at) for _, at in taken}
    assert sorted(at.replace(tzinfo=None) for at, _ in kept) == sorted(
        b.replace(tzinfo=None) for b in buckets
    )
    assert {v for _, v in kept} == {7.0}

    reply = await api.call("GET", "/api/v1/ops/history?metric=pending&window=1h&stream=RESULTS")
    assert reply.status == 200, reply.body
    assert reply.body["step_s"] == 10 and reply.body["window"] == "1h"
    recorder = next(s for s in reply.body["series"] if s["consumer"] == "recorder")
    assert recorder["stream"] == "RESULTS" and recorder["points"][-1][1] == 7.0
    rates = await api.call("GET", "/api/v1/ops/history?metric=rate_in&window=24h")
    assert {s["stream"] for s in rates.body["series"]} >= {"RESULTS", "CHECKS"}


async def _true(value):
    return value


async def test_history_refuses_unknown_metrics_and_windows(api):
    missing = await api.call("GET", "/api/v1/ops/history")
    metric = await api.call("GET", "/api/v1/ops/history?metric=cpu")
    window = await api.call("GET", "/api/v1/ops/history?metric=pending&window=1y")

    assert missing.status == 422 and missing.body["errors"][0]["field"] == "metric"
    assert metric.status == 422 and metric.body["errors"][0]["field"] == "metric"
    assert window.status == 422 and window.body["errors"][0]["field"] == "window"
