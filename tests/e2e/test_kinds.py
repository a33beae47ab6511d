"""Every monitor kind through the running stack: created by the API, scheduled,
checked by an executor process against a local server, recorded, and readable
as results."""

from __future__ import annotations

import asyncio
import ssl

from tests.conftest import eventually
from tests.integration.servers import certs
from tests.integration.servers.dns_server import DnsServer, name


async def latest(api, mid: str) -> dict | None:
    async with api.get(f"/api/v1/monitors/{mid}/results?limit=1") as resp:
        items = (await resp.json())["items"]
    return items[0] if items else None


async def create(api, **fields) -> str:
    async with api.post("/api/v1/monitors", json={"name": fields["kind"], **fields}) as resp:
        assert resp.status == 201, await resp.text()
        return (await resp.json())["id"]


async def test_tcp_dns_tls_and_ping_monitors_run_through_the_stack(stack, api, tmp_path):
    async def echo(reader, writer):
        writer.write(b"220 ready\r\n")
        await writer.drain()
        writer.close()

    tcp = await asyncio.start_server(echo, "127.0.0.1", 0)
    tcp_port = tcp.sockets[0].getsockname()[1]
    # A self-signed certificate: the executor trusts only the system's CAs, so the
    # TLS check must find it invalid and still record the certificate's identity.
    issued = certs.self_signed()
    context: ssl.SSLContext = issued.server_context(tmp_path)
    tls = await asyncio.start_server(echo, "127.0.0.1", 0, ssl=context)
    tls_port = tls.sockets[0].getsockname()[1]
    async with DnsServer() as dns, tcp, tls:
        ids = {
            "tcp": await create(
                api, kind="tcp", target=f"127.0.0.1:{tcp_port}", interval_s=1,
                tcp={"expect": "220"},
            ),
            "dns": await create(
                api, kind="dns", target=name("www"), interval_s=1,
                dns={"record_type": "A", "expected": ["192.0.2.10"], "resolver": dns.address},
            ),
            "tls": await create(api, kind="tls", target=f"localhost:{tls_port}", interval_s=1),
            "ping": await create(api, kind="ping", target="127.0.0.1", interval_s=2),
        }  # fmt: skip
        results = {}
        for kind, mid in ids.items():
            results[kind] = await eventually(lambda mid=mid: latest(api, mid), timeout=20)
    assert results["tcp"]["status"] == "up" and results["tcp"]["phases"]["connect_ms"] is not None
    assert results["dns"]["status"] == "up"
    assert results["dns"]["details"]["answers"] == ["192.0.2.10", "192.0.2.11"]
    assert results["tls"]["status"] == "down" and results["tls"]["error_kind"] == "cert_invalid"
    assert results["tls"]["cert_expires_at"] and results["tls"]["cert_subject"]
    assert results["ping"]["status"] == "up" and results["ping"]["details"]["received"] >= 1
