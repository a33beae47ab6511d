"""Where the secrets sit in a monitor and in a channel config, and one walk over
them that seals, opens or masks them. One list of places, so the api's masking,
its encryption at rest, the executor's decryption and `upmon secrets rotate`
cannot disagree about what a secret is.

Monitor paths: what each kind declares (shared/kinds: `http.auth.password`,
`http.auth.token`, `http.headers.<Name>` for secret-looking names, `<kind>.password`...),
`push_token` and `target_sealed`."""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import msgspec

from shared import channels
from shared.kinds import REGISTRY
from shared.kinds.base import Change, map_secrets, secrets_of
from shared.kinds.http import SECRET_HEADER_WORDS, secret_header
from shared.monitors import MonitorFields

M = TypeVar("M", bound=MonitorFields)
__all__ = ["Change", "secret_header"]


def monitor_secrets(monitor: MonitorFields) -> dict[str, str]:
    """path -> value of every secret the monitor holds. Every options block present is
    walked, not only the kind's: a stray block must not keep a credential in plaintext."""
    found: dict[str, str] = {}
    for name, kind in REGISTRY.items():
        if (spec := getattr(monitor, name)) is not None:
            found.update(secrets_of(kind, spec))
    for path in ("push_token", "target_sealed"):
        if value := getattr(monitor, path, None):
            found[path] = value
    return found


def map_monitor(monitor: M, change: Change) -> M:
    """The monitor with `change(path, value)` in place of each secret."""
    updates: dict[str, Any] = {}
    for name, kind in REGISTRY.items():
        if (spec := getattr(monitor, name)) is not None:
            updates[name] = map_secrets(kind, spec, change)
    for path in ("push_token", "target_sealed"):
        if value := getattr(monitor, path, None):
            updates[path] = change(path, value)
    return msgspec.structs.replace(monitor, **updates) if updates else monitor


def channel_secret(kind: str, name: str, value: Any) -> bool:
    """A secret field of the kind, or a URL field carrying a credential (a password
    or a `?token=`-like query value, as webhook URLs often do)."""
    if not isinstance(value, str):
        return False
    if name in channels.SECRET_FIELDS.get(kind, frozenset()):
        return True
    return name in channels.URL_FIELDS and (
        value.startswith("upmon:enc:") or masked_url(value, "*") != value
    )


def map_channel(kind: str, config: dict[str, Any], change: Change) -> dict[str, Any]:
    """A channel config with `change(field, value)` in place of each secret."""
    out = {k: change(k, v) if channel_secret(kind, k, v) else v for k, v in config.items()}
    if isinstance(out.get("headers"), dict):
        out["headers"] = {
            name: change(f"headers.{name}", value)
            if secret_header(name) and isinstance(value, str)
            else value
            for name, value in out["headers"].items()
        }
    return out


_QUERY_WORDS = (*SECRET_HEADER_WORDS, "sig", "pass", "apikey", "code")


def masked_url(url: str, mask: str) -> str:
    """A URL with the password of its user part and secret-looking query values masked."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    netloc = parts.netloc
    user, at, host = netloc.rpartition("@")
    if at and ":" in user:
        netloc = f"{user.split(':', 1)[0]}:{mask}@{host}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        hidden = [(k, mask if any(w in k.lower() for w in _QUERY_WORDS) else v) for k, v in pairs]
        if hidden != pairs:
            query = urlencode(hidden, safe="*")
    if netloc == parts.netloc and query == parts.query:
        return url
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def has_credential(url: str) -> bool:
    return masked_url(url, "*") != url


def shown_target(target: str) -> str:
    """A monitor's target as it leaves upmon in notifications and incident events:
    the password and secret-looking query values of a URL masked."""
    from shared.sealing import MASK

    return masked_url(target, MASK)
