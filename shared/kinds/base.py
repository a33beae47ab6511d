"""What every monitor kind module is made of. A kind is one module in this package that
declares its `KIND`: the options block a monitor of that kind carries (`<kind>: {...}`),
how its target reads, the rules its struct types cannot say, where it connects (for the
egress policy), its secrets, the fields of the dashboard's form, and its check.

A kind module must not import `shared.monitors` at run time (that module is built from
this registry); it imports what it needs from here."""

from __future__ import annotations

import ipaddress
import re
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

import msgspec
from msgspec import Struct

if TYPE_CHECKING:
    from shared.probes.outcome import Outcome
    from shared.probes.timing import Timeline


class FieldError(Struct):
    field: str
    message: str


class Options(Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """The base of every kind's options block."""


# How a kind's target reads:
# - url: an http:// or https:// URL;
# - host_port: host:port (the port may be left out when the kind has a default_port);
# - address: a host name or IP address, no port (ping);
# - name: a DNS name that is asked about, not connected to (dns);
# - none: no target (heartbeat: the job calls upmon).
TargetForm = Literal["url", "host_port", "address", "name", "none"]


@dataclass(frozen=True)
class FormField:
    """One input of the dashboard's monitor form, named as the options block names it."""

    name: str
    label: str
    input: Literal["text", "textarea", "number", "checkbox", "select", "password", "list"] = "text"
    choices: tuple[str, ...] = ()
    placeholder: str = ""
    help: str = ""


@dataclass(frozen=True)
class Endpoint:
    """A place a check connects to, judged by the egress policy when a monitor is written
    (and again, on every resolved address, when the check runs)."""

    field: str
    host: str
    port: int | None


@dataclass(frozen=True)
class ProbeContext:
    """What one executor process shares with every check it runs."""

    # Trusts extra CAs (private PKI) for checks that verify TLS; None: the system's.
    ssl_context: ssl.SSLContext | None = None
    # The http kind's client (shared.probes.client.Client); None outside an executor.
    client: Any = None


# (context, monitor, its options block, timeline) -> outcome. Every address it connects
# to comes from shared.probes.resolve (addr_infos / allowed): that is where the egress
# policy is applied. Network errors may propagate: the caller turns them into an outcome.
Probe = Callable[[ProbeContext, Any, Any, "Timeline"], Awaitable["Outcome"]]
# (monitor fields, options block) -> problems; fields are shared.monitors.MonitorFields.
Rules = Callable[[Any, Any], list[FieldError]]
# path, value -> the value to put there (see shared.secret_fields).
Change = Callable[[str, str], str]


def _no_rules(_fields: Any, _spec: Any) -> list[FieldError]:
    return []


@dataclass(frozen=True)
class MonitorKind:
    name: str
    title: str
    # The options block, at `<name>:` in a monitor; its defaults apply when it is absent.
    options: type[Options]
    target: TargetForm
    # Shown in the form and the docs: what a target of this kind looks like.
    target_example: str = ""
    default_port: int | None = None
    # None: the executor does not check it (a heartbeat is judged on the pings it gets).
    probe: Probe | None = None
    rules: Rules = _no_rules
    # Places it connects to besides the target (a dns resolver), as (field, host:port).
    extra_endpoints: Callable[[Any], list[tuple[str, str]]] = lambda _spec: []
    # Options that are credentials: sealed at rest, masked when shown, opened by the
    # executor. Top-level names of the options block, each a string or None.
    secrets: tuple[str, ...] = ()
    # Kinds whose secrets sit deeper (http: auth and header values) say so themselves:
    # spec -> {path: value}, and (spec, change) -> spec with each secret changed.
    find_secrets: Callable[[Any], dict[str, str]] | None = None
    map_secrets: Callable[[Any, Change], Any] | None = None
    # The schemes a `url` target may have.
    url_schemes: tuple[str, ...] = ("http", "https")
    form: tuple[FormField, ...] = ()
    # A one-line description for the docs and the kinds listing.
    summary: str = ""
    # error_kind values its check may report beyond the common ones.
    error_kinds: frozenset[str] = field(default_factory=frozenset)
    # The kind a new monitor's form starts at; exactly one kind says so.
    preselected: bool = False


def secrets_of(kind: MonitorKind, spec: Any) -> dict[str, str]:
    """path -> value of every secret in a kind's options block."""
    if kind.find_secrets is not None:
        return kind.find_secrets(spec)
    found = {f"{kind.name}.{n}": getattr(spec, n) for n in kind.secrets}
    return {path: value for path, value in found.items() if value}


def map_secrets(kind: MonitorKind, spec: Any, change: Change) -> Any:
    if kind.map_secrets is not None:
        return kind.map_secrets(spec, change)
    updates = {
        name: change(f"{kind.name}.{name}", value)
        for name in kind.secrets
        if (value := getattr(spec, name))
    }
    return msgspec.structs.replace(spec, **updates) if updates else spec


# -- target rules, shared by the kinds ------------------------------------------------

_LABEL = re.compile(r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)")


def is_hostname(name: str) -> bool:
    name = name[:-1] if name.endswith(".") else name
    return 0 < len(name) <= 253 and all(_LABEL.fullmatch(p) for p in name.split("."))


def is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        return False
    return True


def url_error(
    url: str, kind: str = "http", schemes: tuple[str, ...] = ("http", "https")
) -> str | None:
    if not url:
        return f"is required for {kind} monitors"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"invalid URL: {exc}"
    if parts.scheme not in schemes:
        listed = " or ".join(f"{s}://" for s in schemes)
        return f"must be {_article(schemes[0])} {listed} URL"
    if not parts.hostname:
        return "URL has no host"
    if not (is_hostname(parts.hostname) or is_ip(parts.hostname)):
        return "URL host is not a valid host name"
    if port == 0:
        return "port must be between 1 and 65535"
    return None


def _article(scheme: str) -> str:
    # Schemes are read letter by letter: "an http://", "a ws://".
    return "an" if scheme[:1] in "aefhilmnorsx" else "a"


def host_port_error(target: str, port_required: bool) -> str | None:
    host, sep, port = target.rpartition(":")
    if not sep or (host.count(":") and not host.startswith("[")):
        if port_required:
            return "must be host:port"
        host, port = target, ""
    elif not port.isdigit() or not 1 <= int(port) <= 65535:
        return "port must be between 1 and 65535"
    if not (is_hostname(host) or is_ip(host)):
        return "host must be a host name or IP address"
    return None


def host_port(target: str, default_port: int | None = None) -> tuple[str, int]:
    """Split a validated `host:port` (or bare host, when a default port is given)."""
    host, sep, port = target.rpartition(":")
    if (not sep or (host.count(":") and not host.startswith("["))) and default_port is not None:
        return target.strip("[]"), default_port
    return host.strip("[]"), int(port)


def errors(field: str, message: str | None) -> list[FieldError]:
    return [FieldError(field, message)] if message else []
