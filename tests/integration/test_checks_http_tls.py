"""How an http check verifies the server it talks to (chain, name, address, dates) and
reads it over TLS, against real TLS servers on loopback with certificates made here."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from aiohttp import web

from shared.probes import Checker
from tests.integration.servers.certs import Issued, TestCA
from tests.integration.test_checks_http import monitor

BIG = 1024 * 1024


async def ok(_request: web.Request) -> web.Response:
    return web.Response(text="hello over tls")


async def big(_request: web.Request) -> web.Response:
    return web.Response(body=b"z" * BIG)


def app() -> web.Application:
    application = web.Application()
    application.router.add_get("/ok", ok)
    application.router.add_get("/big", big)
    return application


@asynccontextmanager
async def serving(issued: Issued, directory: Path) -> AsyncIterator[int]:
    runner = web.AppRunner(app(), shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=issued.server_context(directory))
    await site.start()
    try:
        yield runner.addresses[0][1]
    finally:
        await runner.cleanup()


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return TestCA()


@pytest.fixture
async def trusting(ca: TestCA) -> AsyncIterator[Checker]:
    async with Checker(ssl_context=ca.client_context()) as checker:
        yield checker


@pytest.fixture
def serve(tmp_path: Path) -> Callable[[Issued], object]:
    return lambda issued: serving(issued, tmp_path)


async def test_a_certificate_for_the_address_verifies_an_address_url(ca, trusting, serve):
    async with serve(ca.issue(("127.0.0.1",))) as port:
        outcome = await trusting.run(monitor(f"https://127.0.0.1:{port}/ok", keyword="over tls"))
    assert (outcome.status, outcome.error) == ("up", None)
    assert outcome.cert_subject == "CN=127.0.0.1, O=upmon tests"


async def test_a_certificate_for_another_name_is_a_hostname_mismatch(ca, trusting, serve):
    async with serve(ca.issue(("other.example",))) as port:
        outcome = await trusting.run(monitor(f"https://localhost:{port}/ok"))
    assert (outcome.status, outcome.error_kind) == ("down", "tls")
    assert "Hostname mismatch, certificate is not valid for 'localhost'" in outcome.error


async def test_a_certificate_without_the_address_is_an_address_mismatch(ca, trusting, serve):
    async with serve(ca.issue(("localhost",))) as port:
        outcome = await trusting.run(monitor(f"https://127.0.0.1:{port}/ok"))
    assert (outcome.status, outcome.error_kind) == ("down", "tls")
    assert "IP address mismatch, certificate is not valid for '127.0.0.1'" in outcome.error


async def test_a_partial_wildcard_does_not_match(ca, trusting, serve):
    async with serve(ca.issue(("local*",))) as port:
        outcome = await trusting.run(monitor(f"https://localhost:{port}/ok"))
    assert (outcome.status, outcome.error_kind) == ("down", "tls")


async def test_an_expired_certificate_is_refused(ca, trusting, serve):
    async with serve(ca.issue(days=-1, valid_from_days=-30)) as port:
        outcome = await trusting.run(monitor(f"https://localhost:{port}/ok"))
    assert (outcome.status, outcome.error_kind) == ("down", "tls")
    assert "certificate verify failed: certificate has expired" in outcome.error


async def test_a_certificate_not_yet_valid_is_refused(ca, trusting, serve):
    async with serve(ca.issue(days=30, valid_from_days=2)) as port:
        outcome = await trusting.run(monitor(f"https://localhost:{port}/ok"))
    assert "certificate is not yet valid" in outcome.error


async def test_another_cas_certificate_is_refused_and_accepted_unverified(trusting, serve):
    async with serve(TestCA("someone else").issue()) as port:
        refused = await trusting.run(monitor(f"https://localhost:{port}/ok"))
        unverified = await trusting.run(monitor(f"https://localhost:{port}/ok", verify_tls=False))
    assert "certificate verify failed: unable to get local issuer certificate" in refused.error
    assert (unverified.status, unverified.cert_subject) == ("up", None)


async def test_a_megabyte_body_arrives_whole_over_tls(ca, trusting, serve):
    async with serve(ca.issue()) as port:
        outcome = await trusting.run(
            monitor(f"https://localhost:{port}/big", keyword="zzz", max_body_bytes=2 * BIG)
        )
    assert (outcome.status, outcome.http_status) == ("up", 200)
    assert outcome.phases.transfer_ms is not None
