"""Prometheus metrics shared by every service, and the /metrics endpoint."""

from __future__ import annotations

from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    PLATFORM_COLLECTOR,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from shared import httpd

# python_info names the interpreter's exact version: a gift to anyone matching CVEs.
# The process_* and python_gc_* series carry no version and stay.
REGISTRY.unregister(PLATFORM_COLLECTOR)

MESSAGES = Counter(
    "upmon_messages_total",
    "Messages handled by a consumer, by outcome (ack, nak, dead_letter).",
    ["consumer", "outcome"],
)
HANDLER_SECONDS = Histogram(
    "upmon_handler_seconds",
    "Time a consumer handler took per message or batch.",
    ["consumer"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
PUBLISHED = Counter("upmon_published_total", "Events published to JetStream.", ["stream"])
CHECKS = Counter("upmon_checks_total", "Checks run by the executor.", ["kind", "status"])
CHECK_SECONDS = Histogram(
    "upmon_check_seconds",
    "Wall time of one check.",
    ["kind"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
IN_FLIGHT = Gauge("upmon_in_flight", "Messages being handled now.", ["consumer"])
OUTBOX_RELAYED = Counter("upmon_outbox_relayed_total", "Outbox rows published.")
NATS_CONNECTED = Gauge(
    "upmon_nats_connected", "1 while connected to NATS, labelled by the server.", ["server"]
)
NATS_RECONNECTS = Counter("upmon_nats_reconnects_total", "Reconnections to NATS.")
PUBLISH_RETRIES = Counter(
    "upmon_publish_retries_total",
    "JetStream publishes sent again after no responders or a timeout (leader elections).",
)
UP = Gauge("upmon_up", "1 while this service runs.", ["service"])


async def handle_metrics(_: web.Request) -> web.Response:
    resp = web.Response(body=generate_latest())
    resp.content_type = CONTENT_TYPE_LATEST.split(";")[0]
    return resp


async def _healthz(_: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


# What every service serves on its metrics port; orchestrators probe /healthz here
# (the Kubernetes manifests are checked against this table).
ROUTES = (("/metrics", handle_metrics), ("/healthz", _healthz))


async def serve(host: str, port: int) -> web.AppRunner | None:
    """Start a tiny /metrics server for services that have no HTTP API of their own."""
    if not port:
        return None
    app = web.Application()
    httpd.hide_versions(app)
    for path, handler in ROUTES:
        app.router.add_get(path, handler)
    runner = httpd.Runner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
