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

from typing import TypeVar

import msgspec
from aiohttp import web

from services.api import state
from services.api.auth import PRINCIPAL
from services.api.problems import invalid
from services.api.schemas import MonitorView
from shared import secret_fields
from shared.monitors import FieldError, MonitorFields
from shared.sealing import MASK, Keyring, SealError

M = TypeVar("M", bound=MonitorFields)


def seal_input(fields: M, current: MonitorFields | None, keyring: Keyring) -> M:
    """What a user sent, with every secret sealed. The mask (or the stored ciphertext,
    which is what an unchanged block carries) keeps the current secret at that path."""
    return resolve(fields, current, keyring)[1]


def resolve(fields: M, current: MonitorFields | None, keyring: Keyring) -> tuple[M, M]:
    """(plaintext, sealed) of what a user sent: the plaintext is what validation
    judges, the sealed one is what gets stored; 422 for a mask with nothing behind it."""
    stored = secret_fields.monitor_secrets(current) if current is not None else {}
    missing: list[FieldError] = []
    plain: dict[str, str] = {}

    def change(path: str, value: str) -> str:
        if path in stored and value in (MASK, stored[path]):
            try:
                plain[path] = keyring.open(stored[path])
            except SealError:
                missing.append(
                    FieldError(
                        path,
                        "the stored secret cannot be decrypted with"
                        " this UPMON_SECRET_KEY: send the secret again",
                    )
                )
            return stored[path]
        if value == MASK:
            missing.append(FieldError(path, "is masked: send the secret itself"))
            return value
        plain[path] = value
        return keyring.seal(value)

    sealed = secret_fields.map_monitor(fields, change)
    if missing:
        raise invalid(missing)
    return secret_fields.map_monitor(fields, lambda path, v: plain.get(path, v)), sealed


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
    updates: dict = {}
    if shown.push_token:
        updates["push_url"] = f"{public_url.rstrip('/')}/api/v1/push/{shown.push_token}"
    if reader and shown.target:
        updates["target"] = secret_fields.masked_url(shown.target, MASK)
    return msgspec.structs.replace(shown, **updates) if updates else shown


def for_request(request: web.Request, view: MonitorView) -> MonitorView:
    """The view as the caller's scope may see it."""
    st = state.of(request)
    return present(view, request[PRINCIPAL].scope, st.keyring, st.settings.public_url)


def exported(fields: MonitorFields, keyring: Keyring, include: bool) -> MonitorFields:
    """Fields for an export: secrets in plaintext when asked for (admins), else masked."""
    if include:
        return secret_fields.map_monitor(fields, lambda _, value: keyring.open(value))
    return secret_fields.map_monitor(fields, lambda _, __: MASK)
