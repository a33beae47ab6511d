"""Opsgenie Alert API: create an alert aliased by the incident id while down (a
repeat only bumps its count), close that alias when up."""

from __future__ import annotations

from urllib.parse import quote

import aiohttp

from shared.channels import http, text
from shared.channels.base import Config, Field, Kind, Secret, SendContext, SendOutcome, Url
from shared.events import Delivery


class OpsgenieConfig(Config):
    api_key: Secret
    # EU accounts use https://api.eu.opsgenie.com.
    api_url: Url = "https://api.opsgenie.com"


PRIORITY = {"test": "P5", "anomaly.detected": "P3"}


def alias(d: Delivery) -> str:
    if d.incident is not None:
        return d.incident.id
    return f"upmon-test-{d.delivery_id}" if d.event == "test" else d.monitor.id


def create(d: Delivery, ctx: SendContext) -> dict:
    details = {**dict(text.facts(d)), "Link": text.link(d, ctx)}
    return {
        "message": text.clip(text.title(d), 130),
        "alias": alias(d),
        "description": text.clip(text.plain(d, ctx), 15000),
        "priority": PRIORITY.get(d.event, "P1"),
        "source": "upmon",
        "entity": text.clip(d.monitor.name, 512),
        "tags": ["upmon", d.monitor.kind],
        "details": {k: text.clip(v, 8000) for k, v in details.items()},
    }


def build(d: Delivery, config: OpsgenieConfig, ctx: SendContext) -> http.Request:
    base = f"{config.api_url.rstrip('/')}/v2/alerts"
    auth = {"Authorization": f"GenieKey {config.api_key}"}
    if d.event in ("monitor.up", "anomaly.cleared"):
        url = f"{base}/{quote(alias(d), safe='')}/close?identifierType=alias"
        note = {"source": "upmon", "note": text.summary(d)}
        return http.json_request(url, note, auth)
    return http.json_request(base, create(d, ctx), auth)


async def send(
    session: aiohttp.ClientSession, d: Delivery, config: OpsgenieConfig, ctx: SendContext
) -> SendOutcome:
    return await http.post(session, build(d, config, ctx), ctx)


KIND = Kind(
    name="opsgenie",
    config=OpsgenieConfig,
    send=send,
    form=(
        Field("api_key", "API key", "password", True),
        Field("api_url", "API URL (optional)", "url"),
    ),
    secrets=frozenset({"api_key"}),
)
