"""A stored message's payload shown as its event, or as raw bytes when it is not one.

The api's replay and dead-letter views and the CLI print payloads the same way."""

from __future__ import annotations

import base64

import msgspec

from shared.events import AnyEvent, any_decoder


class Payload(msgspec.Struct, kw_only=True):
    # One of these is set: the decoded event, else the raw bytes as text or base64.
    event: AnyEvent | None = None
    text: str | None = None
    payload_b64: str | None = None


def decode_payload(data: bytes) -> dict:
    """The fields of a Payload for `data`: undecodable bytes are shown, never dropped."""
    try:
        return {"event": any_decoder.decode(data)}
    except (msgspec.DecodeError, msgspec.ValidationError):
        pass
    try:
        return {"text": data.decode()}
    except UnicodeDecodeError:
        return {"payload_b64": base64.b64encode(data).decode()}
