"""Every channel kind's `send`, taking the config as it is stored (secrets sealed)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiohttp
import msgspec

from shared import channels, secret_fields
from shared.channels.base import Send, SendContext, SendOutcome
from shared.events import Delivery
from shared.sealing import SealError


def _opener(ctx: SendContext):
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


PROVIDERS: dict[str, Send] = {k: _typed(k, v.send) for k, v in channels.REGISTRY.items()}
