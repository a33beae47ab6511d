"""Host name resolution shared by every kind of check.

Names under the special-use `.invalid` domain (RFC 6761, 6.4) are refused here
without asking any DNS server, as the RFC asks resolver libraries to do.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Any

from aiohttp.resolver import ThreadedResolver


def is_invalid_name(host: str) -> bool:
    name = host.rstrip(".").lower()
    return name == "invalid" or name.endswith(".invalid")


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
        return await super().resolve(host, port, family)


async def addr_infos(host: str, port: int) -> list[Any]:
    """getaddrinfo for a TCP connect; raises socket.gaierror when the name does not resolve."""
    _refuse_invalid(host)
    loop = asyncio.get_running_loop()
    return await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
