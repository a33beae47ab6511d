"""The notifier's connector: every provider and webhook connection obeys the egress
policy, judged on the addresses the lookup returned and connected to as judged."""

from __future__ import annotations

import ipaddress
from typing import Any

import aiohttp

from shared import egress


class EgressConnector(aiohttp.TCPConnector):
    def __init__(self, policy: egress.Policy, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.policy = policy

    async def _resolve_host(self, host: str, port: int, traces: Any = None) -> list[Any]:
        verdict = egress.check_host(self.policy, host, port)
        if not verdict.allowed:
            raise egress.EgressDenied(f"egress to {host} denied: {verdict.reason}")
        return await super()._resolve_host(host, port, traces=traces)

    async def _wrap_create_connection(self, *args: Any, addr_infos: list[Any], **kwargs: Any):
        req = kwargs["req"]
        kept = [i for i in addr_infos if self._allowed(i, req.port)]
        if not kept:
            raise egress.EgressDenied(f"egress to {req.host} denied by the egress policy")
        return await super()._wrap_create_connection(*args, addr_infos=kept, **kwargs)

    def _allowed(self, info: Any, port: int | None) -> bool:
        address = ipaddress.ip_address(info[4][0])
        return egress.check_address(self.policy, address, port).allowed


def session(policy: egress.Policy) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(connector=EgressConnector(policy))
