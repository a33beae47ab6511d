"""A tiny authoritative DNS server on 127.0.0.1 for one test zone, over UDP.

Names it knows answer with their records; `servfail.` and `refused.` names
answer with that rcode, `silent.` names get no answer at all, and every other
name is NXDOMAIN, so a test can reach each branch of a resolver without the
network.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

ZONE = "upmon.test."
TTL = 60

# (owner, type) -> record texts; owner names are relative to ZONE, "@" is the apex.
RECORDS: dict[tuple[str, str], list[str]] = {
    ("www", "A"): ["192.0.2.10", "192.0.2.11"],
    ("www", "AAAA"): ["2001:db8::10"],
    ("alias", "CNAME"): ["www.upmon.test."],
    ("mail", "A"): ["192.0.2.25"],
    ("@", "MX"): ["10 mail.upmon.test.", "20 backup.upmon.test."],
    ("@", "TXT"): ['"v=spf1 -all"', '"token=" "Abc123"'],
    ("@", "NS"): ["ns1.upmon.test.", "ns2.upmon.test."],
}
RCODES = {"servfail": dns.rcode.SERVFAIL, "refused": dns.rcode.REFUSED}
SILENT = "silent"


def name(label: str) -> str:
    """Absolute name of `label` in the test zone."""
    return ZONE if label == "@" else f"{label}.{ZONE}"


class Zone:
    def __init__(self, records: dict[tuple[str, str], list[str]]) -> None:
        origin = dns.name.from_text(ZONE)
        self._records = {
            (dns.name.from_text(owner, origin), dns.rdatatype.from_text(rtype)): texts
            for (owner, rtype), texts in records.items()
        }
        self._owners = {owner for owner, _ in self._records}
        self._origin = origin

    def respond(self, query: dns.message.Message) -> dns.message.Message | None:
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        question = query.question[0]
        label = question.name.relativize(self._origin).to_text()
        if label == SILENT:
            return None
        if label in RCODES:
            response.set_rcode(RCODES[label])
            return response
        if question.name not in self._owners:
            response.set_rcode(dns.rcode.NXDOMAIN)
            return response
        response.answer.extend(self._answer(question.name, question.rdtype))
        return response

    def _answer(self, owner: dns.name.Name, rdtype: int) -> Iterable[dns.rrset.RRset]:
        texts = self._records.get((owner, rdtype))
        if texts:
            yield dns.rrset.from_text_list(owner, TTL, dns.rdataclass.IN, rdtype, texts)
            return
        # Like a real server, an alias answers any type with its CNAME plus the target's records.
        alias = self._records.get((owner, dns.rdatatype.CNAME))
        if alias and rdtype != dns.rdatatype.CNAME:
            yield dns.rrset.from_text_list(owner, TTL, dns.rdataclass.IN, "CNAME", alias)
            yield from self._answer(dns.name.from_text(alias[0]), rdtype)


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, zone: Zone, server: DnsServer) -> None:
        self._zone = zone
        self._server = server
        self._transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        query = dns.message.from_wire(data)
        self._server.queries.append(query.question[0].to_text())
        response = self._zone.respond(query)
        if response is not None and self._transport is not None:
            self._transport.sendto(response.to_wire(), addr)


class DnsServer:
    """Serves the test zone on 127.0.0.1 at a free port; `queries` lists what was asked."""

    def __init__(self, records: dict[tuple[str, str], list[str]] | None = None) -> None:
        self._zone = Zone(RECORDS if records is None else records)
        self._transport: asyncio.DatagramTransport | None = None
        self.queries: list[str] = []
        self.port = 0

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    async def __aenter__(self) -> DnsServer:
        loop = asyncio.get_running_loop()
        self._transport, _ = await loop.create_datagram_endpoint(
            lambda: _Protocol(self._zone, self), local_addr=("127.0.0.1", 0)
        )
        self.port = self._transport.get_extra_info("sockname")[1]
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self._transport is not None:
            self._transport.close()
