"""Monitor secrets in the api: sealed on the way in, masked on the way out.

Credentials (`http.auth`, secret-looking header values) are write-only for every
key, as channel secrets are: reads show `********`, and a PATCH that sends the
mask back keeps the stored secret. The push token (and so the push URL) is shown
to write and admin keys, who set up the jobs that call it, and masked for read
keys, who must not be able to report heartbeats. Read keys also see a target
URL with its password and secret-looking query values masked. Only an admin
export with `secrets=include` carries the plaintext, so an import round-trips.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

import msgspec
from aiohttp import web

from services.api import state
from services.api.auth import PRINCIPAL
from services.api.monitor_edit import fields_of
from services.api.problems import invalid
from services.api.schemas import MonitorView
from shared import secret_fields
from shared.monitors import FieldError, Monitor, MonitorFields
from shared.sealing import MASK, Keyring, SealError

M = TypeVar("M", bound=MonitorFields)


def seal_input(fields: M, current: Monitor | None, keyring: Keyring) -> M:
    """What a user sent, with every secret sealed. The mask (or the stored ciphertext,
    which is what an unchanged block carries) keeps the current secret at that path."""
    return resolve(fields, current, keyring).sealed


@dataclass
class Resolved(Generic[M]):
    # What validation judges: every secret in plaintext.
    plain: M
    # What is stored: secrets sealed, a target with a credential masked...
    sealed: M
    # ...and the whole target sealed beside it.
    target_sealed: str | None = None

    def stored(self, monitor: Monitor, keyring: Keyring) -> Monitor:
        """The Monitor to store and announce: its push token sealed and its target split."""
        return msgspec.structs.replace(
            seal_push_token(monitor, keyring), target_sealed=self.target_sealed
        )


def resolve(fields: M, current: Monitor | None, keyring: Keyring) -> Resolved[M]:
    """Plaintext and sealed forms of what a user sent; 422 for a mask with nothing
    behind it (or a stored secret this key cannot open)."""
    stored = secret_fields.monitor_secrets(current) if current is not None else {}
    stored.pop("push_token", None)
    stored.pop("target_sealed", None)
    missing: list[FieldError] = []
    plain: dict[str, str] = {}

    def change(path: str, value: str) -> str:
        if path in stored and value in (MASK, stored[path]):
            try:
                plain[path] = keyring.open(stored[path])
            except SealError:
                missing.append(FieldError(path, _UNREADABLE))
            return stored[path]
        if value == MASK:
            missing.append(FieldError(path, "is masked: send the secret itself"))
            return value
        plain[path] = value
        return keyring.seal(value)

    sealed = secret_fields.map_monitor(fields, change)
    target, shown, target_sealed = _target(fields.target, current, keyring, missing)
    if missing:
        raise invalid(missing)
    opened = secret_fields.map_monitor(fields, lambda path, v: plain.get(path, v))
    return Resolved(
        plain=msgspec.structs.replace(opened, target=target),
        sealed=msgspec.structs.replace(sealed, target=shown),
        target_sealed=target_sealed,
    )


_UNREADABLE = "the stored secret cannot be decrypted with this UPMON_SECRET_KEY: send it again"


def _target(
    target: str, current: Monitor | None, keyring: Keyring, missing: list[FieldError]
) -> tuple[str, str, str | None]:
    """(plaintext, shown, sealed) of a target: one carrying a credential is stored
    masked with its whole self sealed; sending the masked form back keeps it."""
    kept = getattr(current, "target_sealed", None)
    if kept and target == current.target:
        try:
            return keyring.open(kept), target, kept
        except SealError:
            missing.append(FieldError("target", _UNREADABLE))
            return target, target, kept
    if MASK in target and secret_fields.has_credential(target.replace(MASK, "x")):
        missing.append(FieldError("target", "is masked: send it with its credential"))
        return target, target, None
    if secret_fields.has_credential(target):
        return target, secret_fields.masked_url(target, MASK), keyring.seal(target)
    return target, target, None


def seal_push_token(monitor: M, keyring: Keyring) -> M:
    """A freshly generated push token, sealed before anything stores or sends it."""
    token = getattr(monitor, "push_token", None)
    if token and not token.startswith("upmon:enc:"):
        return msgspec.structs.replace(monitor, push_token=keyring.seal(token))
    return monitor


def present(view: MonitorView, scope: str, keyring: Keyring, public_url: str) -> MonitorView:
    """The view a caller with `scope` may see."""
    reader = scope == "read"

    def change(path: str, value: str) -> str:
        if path == "push_token" and not reader:
            return keyring.open_or_mask(value)
        return MASK

    shown = secret_fields.map_monitor(view, change)
    updates: dict = {"target_sealed": None}
    if shown.push_token:
        updates["push_url"] = f"{public_url.rstrip('/')}/api/v1/push/{shown.push_token}"
    if reader and shown.target:
        updates["target"] = secret_fields.masked_url(shown.target, MASK)
    return msgspec.structs.replace(shown, **updates)


def for_request(request: web.Request, view: MonitorView) -> MonitorView:
    """The view as the caller's scope may see it."""
    st = state.of(request)
    return present(view, request[PRINCIPAL].scope, st.keyring, st.settings.public_url)


def exported(monitor: Monitor, keyring: Keyring, include: bool) -> MonitorFields:
    """A stored monitor as fields for an export: secrets in plaintext when asked for
    (admins), else masked."""
    if not include:
        return fields_of(secret_fields.map_monitor(monitor, lambda _, __: MASK))
    opened = secret_fields.map_monitor(monitor, lambda _, value: keyring.open(value))
    target = getattr(opened, "target_sealed", None) or opened.target
    return fields_of(msgspec.structs.replace(opened, target=target))
