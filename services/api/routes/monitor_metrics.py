"""Gauges for Prometheus beside each process's /metrics: GET /metrics/monitors (per
monitor and region) and GET /metrics/queues (JetStream depths and placement). Outside
/api/v1, so they authenticate themselves: the scrape token (UPMON_METRICS_SCRAPE_TOKEN)
or any API key."""

from __future__ import annotations

import asyncio
import hmac
import time

from aiohttp import web

from services.api import auth, metrics_snapshot, monitor_metrics, queue_metrics, state
from services.api.routes.ops import read_queues
from services.api.routing import Route
from services.api.stores import monitor_metrics as store
from shared import topology
from shared.logs import get

log = get("api")


async def _authorize(request: web.Request) -> None:
    token = state.of(request).settings.metrics_scrape_token
    sent = request.headers.get("Authorization", "").partition(" ")[2].strip()
    if token and sent and hmac.compare_digest(sent.encode(), token.encode()):
        return
    # Any key or login token will do: read is the least scope there is.
    await auth.authenticate(request)


async def _facts(st: state.ApiState) -> dict:
    """ClickHouse's part; without it the statuses from Postgres are still worth serving."""
    try:
        return await store.facts(st.ch, st.settings.clickhouse_database, st.monitor_uptime)
    except Exception as exc:  # any failure of ClickHouse: serve what Postgres has
        log.warning("monitor_metrics_facts_failed", error=f"{type(exc).__name__}: {exc}")
        return {}


async def _build(st: state.ApiState) -> metrics_snapshot.Snapshot:
    monitors, facts = await asyncio.gather(store.monitors(st.pool), _facts(st))
    # Rendering megabytes of text takes a while: off the event loop.
    return await asyncio.to_thread(
        lambda: metrics_snapshot.make(monitor_metrics.render(monitors, facts))
    )


# While a node is down, listings wait ~4 s for its answers (nats-server 2.15); a group
# without a leader leaves them unanswered. Past this the body says JetStream is down.
QUEUES_TIMEOUT_S = 10.0


async def _build_queues(st: state.ApiState) -> metrics_snapshot.Snapshot:
    started = time.monotonic()
    try:
        streams = await asyncio.wait_for(read_queues(st.js), QUEUES_TIMEOUT_S)
    except Exception as exc:  # NATS away or no quorum: reported as jetstream_up 0
        took = round(time.monotonic() - started, 3)
        log.warning("queue_metrics_read_failed", error=f"{type(exc).__name__}: {exc}", took_s=took)
        streams = None
    expected = [cfg.name for cfg in topology.streams(st.settings)]
    return metrics_snapshot.make(queue_metrics.render(streams, expected))


async def monitor_gauges(request: web.Request) -> web.Response:
    await _authorize(request)
    st = state.of(request)
    snap = await st.monitor_metrics.get(lambda: _build(st), st.settings.metrics_monitors_max_age_s)
    return _reply(request, snap)


async def queue_gauges(request: web.Request) -> web.Response:
    await _authorize(request)
    st = state.of(request)
    snap = await st.queue_metrics.get(
        lambda: _build_queues(st), st.settings.metrics_queues_max_age_s
    )
    return _reply(request, snap)


def _reply(request: web.Request, snap: metrics_snapshot.Snapshot) -> web.Response:
    gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
    resp = web.Response(body=snap.gzipped if gzipped else snap.body)
    resp.headers["Content-Type"] = monitor_metrics.CONTENT_TYPE
    if gzipped:
        resp.headers["Content-Encoding"] = "gzip"
    resp.headers["Vary"] = "Accept-Encoding"
    resp.headers["Age"] = str(int(snap.age_s()))
    return resp


ROUTES = [
    Route(
        "GET",
        "/metrics/monitors",
        monitor_gauges,
        "Per-monitor and per-region gauges in the Prometheus text format (a read key or"
        " the scrape token), from a snapshot at most UPMON_METRICS_MONITORS_MAX_AGE_S old.",
        operation="getMonitorMetrics",
        scope="read",
        media_type="text/plain",
    ),
    Route(
        "GET",
        "/metrics/queues",
        queue_gauges,
        "JetStream gauges in the Prometheus text format (a read key or the scrape token):"
        " stream depths, durable consumers' backlogs and, on a cluster, each copy's"
        " leader, state and lag. From a snapshot at most UPMON_METRICS_QUEUES_MAX_AGE_S old.",
        operation="getQueueMetrics",
        scope="read",
        media_type="text/plain",
    ),
]
