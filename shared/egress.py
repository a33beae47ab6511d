"""The one egress policy: which addresses checks and notifications may connect to.

Decisions are pure. Callers resolve a name once, ask `check_address` about every
address the answer holds, and connect only to an address that was allowed, so a
DNS answer cannot change between the check and the connect.

Order of a decision: the named default (link-local, metadata, unspecified,
multicast/broadcast) and upmon's own listeners are always denied; an
`UPMON_EGRESS_ALLOW` entry then wins over `UPMON_EGRESS_DENY` and the private
switch, so a deployment can deny private ranges yet reach one internal service.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from shared.config import ConfigError, Settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

METADATA_NAMES = frozenset(
    {
        "metadata",
        "metadata.google.internal",
        "metadata.goog",
        "instance-data",
        "instance-data.ec2.internal",
        "metadata.azure.com",
        "metadata.packet.net",
        "metadata.platformequinix.com",
        "metadata.tencentyun.com",
    }
)

_nets = ipaddress.ip_network

# Always denied, whatever the allow list says.
DEFAULT_DENY: tuple[tuple[IPNetwork, str], ...] = (
    (_nets("169.254.169.254/32"), "a cloud metadata address"),
    (_nets("fd00:ec2::254/128"), "a cloud metadata address"),
    (_nets("100.100.100.200/32"), "a cloud metadata address"),
    (_nets("169.254.0.0/16"), "a link-local address"),
    (_nets("fe80::/10"), "a link-local address"),
    (_nets("0.0.0.0/8"), "the unspecified address"),
    (_nets("::/128"), "the unspecified address"),
    (_nets("224.0.0.0/4"), "a multicast address"),
    (_nets("ff00::/8"), "a multicast address"),
    (_nets("255.255.255.255/32"), "the broadcast address"),
    (_nets("240.0.0.0/4"), "a reserved address"),
)

# Denied when UPMON_EGRESS_PRIVATE is on.
PRIVATE: tuple[IPNetwork, ...] = tuple(
    _nets(n)
    for n in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "::1/128",
        "fc00::/7",
        "fec0::/10",
    )
)

LOOPBACK: tuple[IPNetwork, ...] = (_nets("127.0.0.0/8"), _nets("::1/128"))
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
_NAT64 = _nets("64:ff9b::/96")
_COMPAT = _nets("::/96")
_NUMERIC_V4 = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}$", re.IGNORECASE)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str = ""


ALLOWED = Verdict(True)


@dataclass(frozen=True)
class Rule:
    """A network, or a host name, with an optional port (None: every port). A rule with a
    port is about TCP/UDP listeners, so a portless probe (ping) never matches it."""

    net: IPNetwork | None = None
    name: str | None = None
    port: int | None = None

    def matches_address(self, ip: IPAddress, port: int | None) -> bool:
        return self.net is not None and ip in self.net and self._port_matches(port)

    def matches_name(self, name: str, port: int | None) -> bool:
        return self.name is not None and self.name == name and self._port_matches(port)

    def _port_matches(self, port: int | None) -> bool:
        return self.port is None or self.port == port


@dataclass(frozen=True)
class Policy:
    allow: tuple[Rule, ...] = ()
    deny: tuple[Rule, ...] = ()
    own: tuple[Rule, ...] = ()
    private: bool = False


class EgressDenied(OSError):
    """Raised where a connection would be made; the check reports error_kind egress_denied."""


# --- parsing -------------------------------------------------------------------------


def normalise_host(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


def literal_address(host: str) -> IPAddress | None:
    """The address a host literal stands for, numeric IPv4 forms included (as inet_aton
    reads them: `0xA9FEA9FE`, `2852039166`, `0251.0376.0251.0376`), or None for a name."""
    text = normalise_host(host)
    if "%" in text:
        text = text.split("%", 1)[0]  # a zone id does not change the address
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    if not _NUMERIC_V4.match(text):
        return None
    return _inet_aton(text.split("."))


def _inet_aton(parts: list[str]) -> ipaddress.IPv4Address | None:
    try:
        values = [_c_int(p) for p in parts]
    except ValueError:
        return None
    *head, last = values
    if any(v > 255 for v in head) or last >= 256 ** (4 - len(head)):
        return None
    number = 0
    for v in head:
        number = number * 256 + v
    return ipaddress.IPv4Address(number * 256 ** (4 - len(head)) + last)


def _c_int(part: str) -> int:
    if part[:2].lower() == "0x":
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        return int(part, 8)
    return int(part)


def embedded_v4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, compatible, 6to4, NAT64, Teredo)."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64 or (ip in _COMPAT and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def parse_rules(text: str, field_name: str) -> tuple[Rule, ...]:
    """`10.0.0.0/8, 127.0.0.1:4222, [::1]:8080, nats:4222`; ValueError names the entry."""
    rules = []
    for entry in (e.strip() for e in text.split(",")):
        if entry:
            rules.append(_parse_rule(entry, field_name))
    return tuple(rules)


def _parse_rule(entry: str, field_name: str) -> Rule:
    host, port = _split_port(entry)
    try:
        return Rule(net=ipaddress.ip_network(host, strict=False), port=port)
    except ValueError:
        pass
    address = literal_address(host)
    if address is not None:
        return Rule(net=ipaddress.ip_network(address), port=port)
    if not re.fullmatch(r"[a-z0-9]([a-z0-9.-]{0,252})", host):
        raise ValueError(f"{field_name}: {entry!r} is not a CIDR, address or host name")
    return Rule(name=host, port=port)


def _split_port(entry: str) -> tuple[str, int | None]:
    entry = entry.strip().lower()
    if entry.startswith("["):
        host, _, rest = entry[1:].partition("]")
        return host, _port(rest.removeprefix(":"), entry) if rest else None
    if entry.count(":") == 1:
        host, _, port = entry.partition(":")
        return host, _port(port, entry)
    return entry, None


def _port(text: str, entry: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ValueError(f"{entry!r} has an invalid port")
    return int(text)


# --- own parts ------------------------------------------------------------------------


def own_rules(endpoints: Iterable[tuple[str, int]]) -> tuple[Rule, ...]:
    """Rules for upmon's own listeners; one on a loopback or any-address host is
    reachable on every loopback address, so the port is denied on all of them."""
    rules: list[Rule] = []
    for host, port in endpoints:
        name = normalise_host(host)
        address = literal_address(name)
        if name in _LOCAL_NAMES or (address is not None and _is_local(address)):
            rules += [Rule(net=net, port=port) for net in LOOPBACK]
        elif address is not None:
            rules.append(Rule(net=ipaddress.ip_network(address), port=port))
        elif name:
            rules.append(Rule(name=name, port=port))
    return tuple(rules)


def _is_local(ip: IPAddress) -> bool:
    return ip.is_loopback or ip.is_unspecified


def url_endpoints(urls: str, default_port: int) -> list[tuple[str, int]]:
    """host/port of every URL in a comma list (nats://a:4222,nats://b:4222)."""
    found = []
    for url in (u.strip() for u in urls.split(",")):
        if not url:
            continue
        try:
            parts = urlsplit(url if "://" in url else f"x://{url}")
            found.append((parts.hostname or "", parts.port or default_port))
        except ValueError:
            continue
    return found


def dsn_endpoints(dsn: str) -> list[tuple[str, int]]:
    """Hosts of a postgres URL DSN, multi-host form included (postgresql://a:1,b:2/db)."""
    netloc = dsn.split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1]
    found = []
    for item in netloc.split(","):
        host, port = _split_port(item) if item else ("", None)
        if host:
            found.append((host, port or 5432))
    return found


# --- decisions ------------------------------------------------------------------------


def check_address(policy: Policy, ip: IPAddress, port: int | None) -> Verdict:
    """May a connection go to ip:port? Embedded IPv4 forms are judged as that IPv4 too."""
    inner = embedded_v4(ip)
    for candidate in (ip, inner) if inner is not None else (ip,):
        verdict = _always_denied(policy, candidate, port)
        if verdict is not None:
            return verdict
    if any(r.matches_address(ip, port) for r in policy.allow):
        return ALLOWED
    for candidate in (ip, inner) if inner is not None else (ip,):
        verdict = _configured_denied(policy, candidate, port)
        if verdict is not None:
            return verdict
    return ALLOWED


def _always_denied(policy: Policy, ip: IPAddress, port: int | None) -> Verdict | None:
    for net, what in DEFAULT_DENY:
        if ip in net:
            return Verdict(False, f"{ip} is {what}")
    if any(r.matches_address(ip, port) for r in policy.own):
        return Verdict(False, f"{_where(ip, port)} is one of upmon's own parts")
    return None


def _configured_denied(policy: Policy, ip: IPAddress, port: int | None) -> Verdict | None:
    if any(r.matches_address(ip, port) for r in policy.deny):
        return Verdict(False, f"{_where(ip, port)} is in UPMON_EGRESS_DENY")
    if policy.private and any(ip in net for net in PRIVATE):
        return Verdict(False, f"{ip} is a private address (UPMON_EGRESS_PRIVATE)")
    return None


def check_host(policy: Policy, host: str, port: int | None) -> Verdict:
    """A target's host as written: literals are judged as addresses, names by name only
    (no lookup here; the resolved addresses are checked again at connect time)."""
    address = literal_address(host)
    if address is not None:
        return check_address(policy, address, port)
    name = normalise_host(host)
    if name in METADATA_NAMES:
        return Verdict(False, f"{name} is a cloud metadata name")
    if any(r.matches_name(name, port) for r in policy.own):
        return Verdict(False, f"{name}:{port} is one of upmon's own parts")
    if any(r.matches_name(name, port) for r in policy.allow):
        return ALLOWED
    if any(r.matches_name(name, port) for r in policy.deny):
        return Verdict(False, f"{name} is in UPMON_EGRESS_DENY")
    if policy.private and name in _LOCAL_NAMES:
        return Verdict(False, f"{name} is a private address (UPMON_EGRESS_PRIVATE)")
    return ALLOWED


# The port a URL means when it names none.
URL_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def check_url(policy: Policy, url: str) -> Verdict:
    try:
        parts = urlsplit(url.strip())
        port = parts.port or URL_PORTS.get(parts.scheme.lower())
    except ValueError:
        return ALLOWED  # malformed URLs are the schema's to reject
    return check_host(policy, parts.hostname or "", port) if parts.hostname else ALLOWED


def _where(ip: IPAddress, port: int | None) -> str:
    if port is None:
        return str(ip)
    return f"[{ip}]:{port}" if ip.version == 6 else f"{ip}:{port}"


# --- results never echo what a target said --------------------------------------------

EXCERPT_CHARS = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+")


def excerpt(text: str | bytes, limit: int = EXCERPT_CHARS) -> str:
    """A short, printable excerpt of what a peer sent, for error messages."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    clean = _CONTROL.sub(" ", text[: limit * 4]).strip()
    return clean if len(clean) <= limit else clean[:limit] + "..."


# --- from settings ----------------------------------------------------------------------


def from_settings(settings: Settings) -> Policy:
    """The policy of this deployment; ConfigError names a bad UPMON_EGRESS_* entry."""
    s = settings
    endpoints = url_endpoints(s.nats_url, 4222)
    endpoints += dsn_endpoints(s.pg_dsn)
    endpoints += url_endpoints(s.clickhouse_url, 8123)
    endpoints.append((s.api_host, s.api_port))
    if s.metrics_port:
        endpoints.append((s.metrics_host, s.metrics_port))
    try:
        extra = parse_rules(s.egress_own, "UPMON_EGRESS_OWN")
        return Policy(
            allow=parse_rules(s.egress_allow, "UPMON_EGRESS_ALLOW"),
            deny=parse_rules(s.egress_deny, "UPMON_EGRESS_DENY"),
            own=own_rules(endpoints) + _widened(extra),
            private=s.egress_private,
        )
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def _widened(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """Own listeners given as loopback or any-address are denied on every loopback address."""
    out: list[Rule] = []
    for rule in rules:
        net = rule.net
        if (
            net is not None and net.num_addresses == 1 and _is_local(net.network_address)
        ) or rule.name in _LOCAL_NAMES:
            out += [Rule(net=n, port=rule.port) for n in LOOPBACK]
        else:
            out.append(rule)
    return tuple(out)
