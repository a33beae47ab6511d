"""Where the secrets sit in a monitor and in a channel config, and one walk over
them that seals, opens or masks them. One list of places, so the api's masking,
its encryption at rest, the executor's decryption and `upmon secrets rotate`
cannot disagree about what a secret is.

Monitor paths: `http.auth.password`, `http.auth.token`, `http.headers.<Name>`
(secret-looking names only), `push_token` and `target_sealed`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import msgspec

from shared import channels
from shared.monitors import BasicAuth, BearerAuth, HttpSpec, MonitorFields

M = TypeVar("M", bound=MonitorFields)
# path, value -> the value to put there
Change = Callable[[str, str], str]

# Header names whose values are credentials (case-insensitive substrings).
SECRET_HEADER_WORDS = (
    "authorization",
    "token",
    "secret",
    "key",
    "cookie",
    "password",
    "passwd",
    "session",
    "credential",
    "signature",
    "auth",
)


def secret_header(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in SECRET_HEADER_WORDS)


def monitor_secrets(monitor: MonitorFields) -> dict[str, str]:
    """path -> value of every secret the monitor holds."""
    found: dict[str, str] = {}
    spec = monitor.http
    if spec is not None:
        if isinstance(spec.auth, BasicAuth):
            found["http.auth.password"] = spec.auth.password
        elif isinstance(spec.auth, BearerAuth):
            found["http.auth.token"] = spec.auth.token
        for name, value in spec.headers.items():
            if secret_header(name):
                found[f"http.headers.{name}"] = value
    for path in ("push_token", "target_sealed"):
        if value := getattr(monitor, path, None):
            found[path] = value
    return found


def map_monitor(monitor: M, change: Change) -> M:
    """The monitor with `change(path, value)` in place of each secret."""
    spec = monitor.http
    updates: dict[str, Any] = {}
    if spec is not None:
        updates["http"] = _map_http(spec, change)
    for path in ("push_token", "target_sealed"):
        if value := getattr(monitor, path, None):
            updates[path] = change(path, value)
    return msgspec.structs.replace(monitor, **updates) if updates else monitor


def _map_http(spec: HttpSpec, change: Change) -> HttpSpec:
    auth = spec.auth
    if isinstance(auth, BasicAuth):
        auth = BasicAuth(
            username=auth.username, password=change("http.auth.password", auth.password)
        )
    elif isinstance(auth, BearerAuth):
        auth = BearerAuth(token=change("http.auth.token", auth.token))
    headers = {
        name: change(f"http.headers.{name}", value) if secret_header(name) else value
        for name, value in spec.headers.items()
    }
    return msgspec.structs.replace(spec, auth=auth, headers=headers)


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
