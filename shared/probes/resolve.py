"""Host name resolution shared by every kind of check.

Names under the special-use `.invalid` domain (RFC 6761, 6.4) are refused here
without asking any DNS server, as the RFC asks resolver libraries to do.

Every address a check connects to passes through `addr_infos` or `allowed`, which
apply the egress policy of the running check to the resolved addresses: the check
then connects to an address that was judged, never to a second lookup's answer.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import socket
from contextvars import ContextVar
from typing import Any

from aiohttp.resolver import ThreadedResolver

from shared import egress

# The policy of the running check, set by the Checker around each check.
policy: ContextVar[egress.Policy] = ContextVar(
    "egress_policy",
    default=egress.Policy(),  # noqa: B039 - a frozen dataclass
)


def is_invalid_name(host: str) -> bool:
    name = host.rstrip(".").lower()
    return name == "invalid" or name.endswith(".invalid")


@functools.lru_cache(maxsize=4096)
def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _refuse_invalid(host: str) -> None:
    if is_invalid_name(host):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


class Resolver(ThreadedResolver):
    """aiohttp's default resolver, with `.invalid` refused locally."""

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[Any]:
        _refuse_invalid(host)
        refuse_name(host, port or None)
        return await super().resolve(host, port, family)


async def addr_infos(host: str, port: int) -> list[Any]:
    """getaddrinfo for a TCP connect, the denied addresses left out; raises socket.gaierror
    when the name does not resolve and EgressDenied when every address is denied."""
    _refuse_invalid(host)
    refuse_name(host, port or None)
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(_literal_or_name(host), port, type=socket.SOCK_STREAM)
    return permitted(host, infos, port or None)


def refuse_name(host: str, port: int | None) -> None:
    """Denied names (metadata, own parts by name) are refused before any lookup."""
    verdict = egress.check_host(policy.get(), host, port)
    if not verdict.allowed:
        raise egress.EgressDenied(f"egress to {host} denied: {verdict.reason}")


def permitted(host: str, infos: list[Any], port: int | None) -> list[Any]:
    kept, reason = [], ""
    rules = policy.get()
    for info in infos:
        verdict = _address_verdict(rules, info[4][0], port)
        if verdict.allowed:
            kept.append(info)
        else:
            reason = verdict.reason
    if not kept:
        raise egress.EgressDenied(f"egress to {host} denied: {reason}")
    return kept


# Verdicts by (policy, address, port): a pure function, and parsing and matching the
# address cost about a tenth of a plain HTTP check. Keyed by the policy's identity
# (hashing it walks every rule), with the policy kept to tell a reused id apart.
_VERDICTS: dict[tuple[int, str, int | None], tuple[egress.Policy, egress.Verdict]] = {}
_MAX_VERDICTS = 4096


def _address_verdict(rules: egress.Policy, address: str, port: int | None) -> egress.Verdict:
    key = (id(rules), address, port)
    hit = _VERDICTS.get(key)
    if hit is not None and hit[0] is rules:
        return hit[1]
    verdict = egress.check_address(rules, ipaddress.ip_address(address), port)
    if len(_VERDICTS) >= _MAX_VERDICTS:
        _VERDICTS.clear()
    _VERDICTS[key] = (rules, verdict)
    return verdict


def allowed(address: str, port: int | None) -> str:
    """An IP literal the check is about to use, once the policy allows it."""
    refuse_name(address, port)
    return address


def _literal_or_name(host: str) -> str:
    # Numeric forms (0xA9FEA9FE) are judged as the address they stand for, and that
    # same address is what gets connected to.
    address = egress.literal_address(host)
    return str(address) if address is not None else host
