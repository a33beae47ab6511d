"""Notification providers: each turns a Delivery into a request to one service."""

from __future__ import annotations

from dataclasses import dataclass

from shared.events import Delivery, encoder


@dataclass(frozen=True)
class SendOutcome:
    ok: bool
    status_code: int | None = None
    error: str | None = None
    # Worth trying again (timeouts, 5xx, 429); otherwise the failure is permanent.
    retryable: bool = False
    retry_after_s: float | None = None


def webhook_body(d: Delivery) -> bytes:
    """The documented webhook payload (API.md), also the base of other providers' texts."""
    return encoder.encode(
        {
            "event": d.event,
            "delivery_id": d.delivery_id,
            "monitor": d.monitor,
            "incident": d.incident,
            "result": d.result,
            "at": d.at,
        }
    )
