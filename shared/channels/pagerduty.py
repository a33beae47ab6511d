"""PagerDuty Events API v2: trigger while down, resolve when up, both keyed by the
incident id so PagerDuty folds reminders and retries into one incident."""

from __future__ import annotations

import aiohttp

from shared.channels import http, text
from shared.channels.base import Config, Field, Kind, Secret, SendContext, SendOutcome, Url
from shared.events import Delivery


class PagerDutyConfig(Config):
    routing_key: Secret
    api_url: Url = "https://events.pagerduty.com"


# An anomaly is worth a look, not a page in the night.
SEVERITY = {"test": "info", "anomaly.detected": "warning"}


def dedup_key(d: Delivery) -> str:
    if d.incident is not None:
        return d.incident.id
    # A test has no incident; its own key keeps it apart from real ones.
    return f"upmon-test-{d.delivery_id}" if d.event == "test" else d.monitor.id


def event(d: Delivery, config: PagerDutyConfig, ctx: SendContext) -> dict:
    doc = {"routing_key": config.routing_key, "dedup_key": dedup_key(d)}
    if d.event in ("monitor.up", "anomaly.cleared"):
        return {**doc, "event_action": "resolve"}
    opened = d.incident.opened_at if d.incident else d.at
    payload = {
        "summary": text.clip(f"{text.title(d)} - {text.summary(d)}", 1024),
        "source": d.monitor.target or d.monitor.name,
        "severity": SEVERITY.get(d.event, "critical"),
        "timestamp": opened.isoformat(),
        "component": d.monitor.name,
        "class": d.monitor.kind,
        "custom_details": dict(text.facts(d)),
    }
    link = {"href": text.link(d, ctx), "text": "Open in upmon"}
    return {**doc, "event_action": "trigger", "payload": payload, "links": [link]}


def build(d: Delivery, config: PagerDutyConfig, ctx: SendContext) -> http.Request:
    url = f"{config.api_url.rstrip('/')}/v2/enqueue"
    return http.json_request(url, event(d, config, ctx))


async def send(
    session: aiohttp.ClientSession, d: Delivery, config: PagerDutyConfig, ctx: SendContext
) -> SendOutcome:
    return await http.post(session, build(d, config, ctx), ctx)


KIND = Kind(
    name="pagerduty",
    config=PagerDutyConfig,
    send=send,
    form=(Field("routing_key", "Routing key", "password", True),),
    secrets=frozenset({"routing_key"}),
)
