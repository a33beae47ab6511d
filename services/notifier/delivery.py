"""Dispatch (one NOTIFY message per event and channel) and delivery (send, record, retry).

A delivery id is derived from the event id and the channel, so a redelivered
incident event republishes the same ids (dropped as duplicates) and receivers
see one id across every retry. A delivery recorded as delivered is never sent
again; the one window left is a crash between the send and its record.
"""

from __future__ import annotations

import uuid

import aiohttp
import asyncpg

from services.notifier import store
from services.notifier.providers import registry
from shared import bus, topology
from shared.channels.base import SendContext, SendOutcome
from shared.events import (
    AnomalyCleared,
    AnomalyDetected,
    Delivery,
    IncidentEscalated,
    IncidentEvent,
    IncidentOpened,
    IncidentReminder,
    IncidentResolved,
)
from shared.logs import get
from shared.runner import Envelope, Reject, Retry, postgres_outage
from shared.sealing import Keyring

log = get("notifier.delivery")
DELIVERY_NS = uuid.UUID("6f1f0a52-5d3e-4c1b-9a36-2b8f5f0d7c11")
PROVIDERS = registry.PROVIDERS


def delivery_id(event_id: str, channel_id: str) -> str:
    return str(uuid.uuid5(DELIVERY_NS, f"{event_id}:{channel_id}"))


NOTIFY_KIND = {
    IncidentOpened: "monitor.down",
    IncidentResolved: "monitor.up",
    IncidentReminder: "monitor.reminder",
    # The escalation channels hear of the outage itself.
    IncidentEscalated: "monitor.down",
    AnomalyDetected: "anomaly.detected",
    AnomalyCleared: "anomaly.cleared",
}


def deliveries_for(event: IncidentEvent, channels: dict[str, str]) -> list[tuple[str, Delivery]]:
    """(subject, delivery) for every live channel the event routes to."""
    kind = NOTIFY_KIND[type(event)]
    out = []
    for channel_id in event.channel_ids:
        channel_kind = channels.get(channel_id)
        if channel_kind is None:
            continue
        d = Delivery(
            delivery_id=delivery_id(event.id, channel_id),
            channel_id=channel_id,
            event=kind,
            source_event_id=event.id,
            monitor=event.monitor,
            incident=event.incident,
            result=event.result,
            anomaly=getattr(event, "anomaly", None),
        )
        out.append((topology.notify_subject(channel_kind, channel_id), d))
    return out


class Dispatcher:
    def __init__(self, pool: asyncpg.Pool, js) -> None:
        self.pool = pool
        self.js = js

    async def handle(self, env: Envelope[IncidentEvent]) -> None:
        event = env.event
        if type(event) not in NOTIFY_KIND or not event.channel_ids:
            return
        with postgres_outage():
            kinds = await store.channel_kinds(self.pool, event.channel_ids)
        items = deliveries_for(event, kinds)
        await bus.publish_many(self.js, [(s, d, d.delivery_id) for s, d in items])


class Deliverer:
    def __init__(
        self,
        pool: asyncpg.Pool,
        session: aiohttp.ClientSession,
        timeout_s: float,
        public_url: str,
        keyring: Keyring | None = None,
    ):
        self.pool = pool
        self.session = session
        self.ctx = SendContext(timeout_s=timeout_s, public_url=public_url, keyring=keyring)

    async def handle(self, env: Envelope[Delivery]) -> None:
        d = env.event
        with postgres_outage():
            channel = await store.channel(self.pool, d.channel_id)
            done = await store.delivered(self.pool, d.delivery_id)
        if channel is None:
            log.info("channel_gone", channel_id=d.channel_id, delivery_id=d.delivery_id)
            return
        if done:
            return
        send = PROVIDERS.get(channel.kind)
        if send is None:
            raise Reject(f"no provider for channel kind {channel.kind!r}")
        outcome = await send(self.session, d, channel.config, self.ctx)
        await self._record(d, env.attempts, outcome)
        if outcome.ok:
            return
        if outcome.retryable:
            raise Retry(outcome.error or "delivery failed", outcome.retry_after_s)
        raise Reject(outcome.error or "delivery failed")

    async def _record(self, d: Delivery, attempt: int, o: SendOutcome) -> None:
        attempt_row = store.Attempt(
            delivery_id=d.delivery_id,
            channel_id=d.channel_id,
            incident_id=d.incident.id if d.incident else None,
            event=d.event,
            attempt=attempt,
            outcome="delivered" if o.ok else ("retry" if o.retryable else "failed"),
            status_code=o.status_code,
            error=o.error,
        )
        # Sent but not recorded: retrying may send again, the documented window.
        with postgres_outage():
            await store.record_attempt(self.pool, attempt_row)
