"""Every channel kind's provider, taking the config as it is stored."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aiohttp
import msgspec

from services.notifier.providers import (
    SendContext,
    SendOutcome,
    discord,
    email,
    ntfy,
    opsgenie,
    pagerduty,
    pushover,
    slack,
    teams,
    telegram,
    webhook,
)
from shared import channels, secret_fields
from shared.events import Delivery
from shared.sealing import SealError

Send = Callable[[aiohttp.ClientSession, Delivery, Any, SendContext], Awaitable[SendOutcome]]

_MODULES = {
    "webhook": webhook,
    "slack": slack,
    "discord": discord,
    "telegram": telegram,
    "email": email,
    "pushover": pushover,
    "ntfy": ntfy,
    "pagerduty": pagerduty,
    "teams": teams,
    "opsgenie": opsgenie,
}


def _opener(ctx: SendContext) -> Callable[[str, str], str]:
    return lambda _, value: ctx.keyring.open(value)


def _typed(kind: str, send: Send) -> Send:
    async def send_stored(
        session: aiohttp.ClientSession, d: Delivery, config: Mapping[str, Any], ctx: SendContext
    ) -> SendOutcome:
        try:
            if ctx.keyring is not None:
                config = secret_fields.map_channel(kind, dict(config), _opener(ctx))
            typed = channels.load(kind, config)
        except SealError as exc:
            return SendOutcome(False, error=f"channel secrets cannot be decrypted: {exc}")
        except msgspec.ValidationError as exc:
            # Stored before a rule tightened: retrying cannot fix it, the channel must be edited.
            return SendOutcome(False, error=f"channel config is not valid for {kind}: {exc}")
        return await send(session, d, typed, ctx)

    return send_stored


PROVIDERS: dict[str, Send] = {kind: _typed(kind, m.send) for kind, m in _MODULES.items()}
