"""Notification providers: each turns a Delivery into a request to one service.

Every provider has `async def send(session, delivery, config, ctx) -> SendOutcome`,
`config` being its kind's struct from shared.channels; `registry.PROVIDERS`
wraps them to take the config as stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.events import Delivery, encoder
from shared.sealing import Keyring


@dataclass(frozen=True)
class SendOutcome:
    ok: bool
    status_code: int | None = None
    error: str | None = None
    # Worth trying again (timeouts, 5xx, 429); otherwise the failure is permanent.
    retryable: bool = False
    retry_after_s: float | None = None


@dataclass(frozen=True)
class SendContext:
    timeout_s: float
    # Where people open upmon; links in messages start here.
    public_url: str
    # Opens the channel secrets stored sealed; None only where configs are plaintext.
    keyring: Keyring | None = None


def webhook_body(d: Delivery) -> bytes:
    """The documented webhook payload (API.md), also the base of other providers' texts."""
    return encoder.encode(
        {
            "event": d.event,
            "delivery_id": d.delivery_id,
            "monitor": d.monitor,
            "incident": d.incident,
            "result": d.result,
            **({"anomaly": d.anomaly} if d.anomaly is not None else {}),
            "at": d.at,
        }
    )
