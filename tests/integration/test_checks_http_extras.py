"""JSON assertions, auth and TLS details of HTTP checks, against real servers on loopback."""

from __future__ import annotations

import asyncio
import base64
import ipaddress
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import msgspec
import pytest
from aiohttp import web

from shared.kinds.http import BasicAuth, BearerAuth, JsonAssertion
from shared.probes import Checker, Outcome
from tests.integration.test_checks_http import monitor

USER, PASSWORD, TOKEN = "probe", "s3cret-pässword", "tok-0123456789"

DOC = {
    "status": "ok",
    "count": 3,
    "ratio": 0.5,
    "version": "1",
    "flag": True,
    "nothing": None,
    "tags": ["a", "b", 1],
    "nested": {"items": [{"id": 7}, {"id": 8}]},
    "long": "x" * 500,
}


def rule(path: str, op: str = "==", value: object = None) -> JsonAssertion:
    return JsonAssertion(path=path, op=op, value=value)


def phase_sum(outcome: Outcome) -> float:
    p = outcome.phases
    return sum(v or 0.0 for v in (p.dns_ms, p.connect_ms, p.tls_ms, p.ttfb_ms, p.transfer_ms))


async def doc(_request: web.Request) -> web.Response:
    return web.Response(body=msgspec.json.encode(DOC), content_type="application/json")


async def text(_request: web.Request) -> web.Response:
    return web.Response(text="<html>not json</html>")


async def big_json(_request: web.Request) -> web.Response:
    return web.Response(body=msgspec.json.encode({"pad": "y" * 5000}))


def guarded(expected: str):
    async def handler(request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != expected:
            return web.Response(status=401, text="who are you?")
        return web.Response(text="welcome")

    return handler


async def seen_auth(request: web.Request) -> web.Response:
    return web.Response(text=f"auth=[{request.headers.get('Authorization')}]")


def basic_header(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def app() -> web.Application:
    application = web.Application()
    application.router.add_get("/doc", doc)
    application.router.add_get("/text", text)
    application.router.add_get("/big-json", big_json)
    application.router.add_get("/basic", guarded(basic_header(USER, PASSWORD)))
    application.router.add_get("/bearer", guarded(f"Bearer {TOKEN}"))
    application.router.add_get("/seen-auth", seen_auth)
    return application


@dataclass
class Servers:
    http_port: int
    https_port: int
    ca_pem: str
    not_after: datetime

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.http_port}{path}"

    def tls_url(self, path: str) -> str:
        return f"https://localhost:{self.https_port}{path}"


@pytest.fixture(scope="module")
async def servers(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Servers]:
    ca_pem, cert_path, key_path, not_after = ca_and_leaf(tmp_path_factory.mktemp("pki"))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    runner = web.AppRunner(app(), shutdown_timeout=0.5)
    await runner.setup()
    plain = web.TCPSite(runner, "127.0.0.1", 0)
    await plain.start()
    secure = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
    await secure.start()
    http_port, https_port = (address[1] for address in runner.addresses)
    yield Servers(http_port, https_port, ca_pem, not_after)
    await runner.cleanup()


@pytest.fixture(scope="module")
async def checker(servers: Servers) -> AsyncIterator[Checker]:
    async with Checker(ssl_context=ssl.create_default_context(cadata=servers.ca_pem)) as shared:
        yield shared


# -- JSON assertions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "assertion",
    [
        rule("$.status", "==", "ok"),
        rule("$.count", "==", 3.0),
        rule("$.ratio", "==", 0.5),
        rule("$.flag", "==", True),
        rule("$.nothing", "==", None),
        rule("$.status", "!=", "down"),
        rule("$.version", "!=", 1),
        rule("$.count", "<", 4),
        rule("$.count", "<=", 3),
        rule("$.ratio", ">", 0.25),
        rule("$.count", ">=", 3),
        rule("$.status", "contains", "k"),
        rule("$.tags", "contains", "b"),
        rule("$.tags", "contains", 1.0),
        rule("$.nested.items[1].id", "==", 8),
        rule("$.nested.items[-1]['id']", "==", 8),
        rule("$.nothing", "exists"),
    ],
)
async def test_assertion_that_holds_is_up(servers, checker, assertion):
    outcome = await checker.run(monitor(servers.url("/doc"), json_assertions=[assertion]))
    assert (outcome.status, outcome.error_kind, outcome.error) == ("up", None, None)


@pytest.mark.parametrize(
    ("assertion", "message"),
    [
        (rule("$.status", "==", "down"), 'assertion $.status == "down" failed: actual "ok"'),
        (rule("$.version", "==", 1), 'assertion $.version == 1 failed: actual "1"'),
        (rule("$.count", "==", "3"), 'assertion $.count == "3" failed: actual 3'),
        (rule("$.flag", "==", 1), "assertion $.flag == 1 failed: actual true"),
        (rule("$.count", "!=", 3.0), "assertion $.count != 3.0 failed: actual 3 is equal"),
        (rule("$.count", "<", 3), "assertion $.count < 3 failed: actual 3"),
        (rule("$.count", "<=", 2.5), "assertion $.count <= 2.5 failed: actual 3"),
        (rule("$.ratio", ">", 0.5), "assertion $.ratio > 0.5 failed: actual 0.5"),
        (rule("$.count", ">=", 4), "assertion $.count >= 4 failed: actual 3"),
        (
            rule("$.version", ">", 0),
            'assertion $.version > 0 failed: actual "1" is not a number',
        ),
        (rule("$.flag", "<", 2), "assertion $.flag < 2 failed: actual true is not a number"),
        (
            rule("$.tags", "contains", "c"),
            'assertion $.tags contains "c" failed: actual ["a","b",1]',
        ),
        (
            rule("$.tags", "contains", "1"),
            'assertion $.tags contains "1" failed: actual ["a","b",1]',
        ),
        (rule("$.status", "contains", "x"), 'assertion $.status contains "x" failed: actual "ok"'),
        (
            rule("$.count", "contains", 3),
            "assertion $.count contains 3 failed: actual 3 is neither a string nor a list",
        ),
        (
            rule("$.absent", "exists"),
            "assertion $.absent exists failed: the path is not in the body",
        ),
        (
            rule("$.nested.items[5].id", "==", 1),
            "assertion $.nested.items[5].id == 1 failed: the path is not in the body",
        ),
        (
            rule("$.status.deeper", "!=", "x"),
            'assertion $.status.deeper != "x" failed: the path is not in the body',
        ),
    ],
)
async def test_failing_assertion_names_path_op_expected_and_actual(
    servers, checker, assertion, message
):
    outcome = await checker.run(monitor(servers.url("/doc"), json_assertions=[assertion]))
    assert (outcome.status, outcome.error_kind) == ("down", "assertion")
    assert outcome.http_status == 200
    assert outcome.error == message


async def test_the_first_failing_assertion_is_reported(servers, checker):
    rules = [rule("$.status", "==", "ok"), rule("$.count", ">", 5), rule("$.ratio", "<", 0)]
    outcome = await checker.run(monitor(servers.url("/doc"), json_assertions=rules))
    assert outcome.error == "assertion $.count > 5 failed: actual 3"


async def test_long_actual_values_are_cut_short(servers, checker):
    outcome = await checker.run(
        monitor(servers.url("/doc"), json_assertions=[rule("$.long", "==", "short")])
    )
    assert outcome.error_kind == "assertion"
    assert outcome.error.endswith("... (502 characters)")
    assert len(outcome.error) < 200


async def test_body_that_is_not_json_is_an_assertion_failure(servers, checker):
    outcome = await checker.run(
        monitor(servers.url("/text"), json_assertions=[rule("$.status", "exists")])
    )
    assert (outcome.status, outcome.error_kind) == ("down", "assertion")
    assert outcome.error.startswith("body is not JSON: ")


async def test_json_cut_by_max_body_bytes_says_so(servers, checker):
    outcome = await checker.run(
        monitor(
            servers.url("/big-json"), max_body_bytes=100, json_assertions=[rule("$.pad", "exists")]
        )
    )
    assert (outcome.status, outcome.error_kind) == ("down", "body_too_large")
    assert "only its first 100 bytes were read" in outcome.error


async def test_status_is_judged_before_assertions(servers, checker):
    outcome = await checker.run(
        monitor(servers.url("/basic"), json_assertions=[rule("$.status", "exists")])
    )
    assert (outcome.error_kind, outcome.http_status) == ("http_status", 401)


# -- auth ----------------------------------------------------------------------------------


async def test_basic_auth_is_sent(servers, checker):
    good = monitor(servers.url("/basic"), auth=BasicAuth(username=USER, password=PASSWORD))
    assert (await checker.run(good)).status == "up"
    wrong = monitor(servers.url("/basic"), auth=BasicAuth(username=USER, password="nope"))
    outcome = await checker.run(wrong)
    assert (outcome.status, outcome.http_status) == ("down", 401)
    assert "nope" not in outcome.error


async def test_bearer_auth_is_sent(servers, checker):
    good = monitor(servers.url("/bearer"), auth=BearerAuth(token=TOKEN))
    assert (await checker.run(good)).status == "up"
    wrong = monitor(servers.url("/bearer"), auth=BearerAuth(token="other-token"))
    assert (await checker.run(wrong)).http_status == 401


async def test_no_auth_is_unauthorized(servers, checker):
    assert (await checker.run(monitor(servers.url("/bearer")))).http_status == 401


async def test_auth_replaces_an_authorization_header_written_by_hand(servers, checker):
    sent = monitor(
        servers.url("/seen-auth"),
        headers={"authorization": "Bearer hand-written"},
        auth=BearerAuth(token=TOKEN),
        keyword=f"auth=[Bearer {TOKEN}]",
    )
    assert (await checker.run(sent)).status == "up"


@pytest.mark.parametrize(
    "auth",
    [
        BearerAuth(token="secret-part\r\nX-Injected: 1"),
        BasicAuth(username="secret:user", password="secret-password"),
    ],
)
async def test_unsendable_credentials_are_not_repeated(servers, checker, auth):
    outcome = await checker.run(monitor(servers.url("/bearer"), auth=auth))
    assert (outcome.status, outcome.error_kind) == ("down", "connection")
    assert outcome.error.startswith("request could not be sent: ")
    assert "secret" not in outcome.error


# -- TLS phases and certificate identity ---------------------------------------------------


async def test_https_phases_split_tcp_connect_and_tls_handshake(servers, checker):
    outcome = await checker.run(monitor(servers.tls_url("/doc")))
    phases = outcome.phases
    assert outcome.status == "up"
    assert None not in (phases.dns_ms, phases.connect_ms, phases.tls_ms, phases.ttfb_ms)
    assert phases.tls_ms > 0
    assert phase_sum(outcome) <= outcome.latency_ms


async def test_unverified_https_still_times_the_handshake(servers, checker):
    outcome = await checker.run(monitor(servers.tls_url("/doc"), verify_tls=False))
    assert outcome.status == "up"
    assert outcome.phases.connect_ms is not None
    assert outcome.phases.tls_ms > 0
    assert phase_sum(outcome) <= outcome.latency_ms
    # Python parses the peer certificate only once it has verified it.
    assert (outcome.cert_subject, outcome.cert_expires_at) == (None, None)


async def test_plain_http_has_no_tls_phase(servers, checker):
    outcome = await checker.run(monitor(servers.url("/doc")))
    assert outcome.phases.connect_ms is not None
    assert outcome.phases.tls_ms is None


async def test_certificate_issuer_subject_and_expiry(servers, checker):
    outcome = await checker.run(monitor(servers.tls_url("/doc")))
    assert outcome.cert_subject == "CN=localhost, O=upmon test"
    assert outcome.cert_issuer == "CN=upmon test CA, O=upmon test"
    assert outcome.cert_expires_at == servers.not_after


async def test_plain_http_has_no_certificate(servers, checker):
    outcome = await checker.run(monitor(servers.url("/doc")))
    assert (outcome.cert_issuer, outcome.cert_subject, outcome.cert_expires_at) == (None,) * 3


async def test_failed_handshake_keeps_the_connect_time(servers, checker):
    outcome = await checker.run(monitor(f"https://127.0.0.1:{servers.http_port}/doc"))
    assert (outcome.status, outcome.error_kind) == ("down", "tls")
    assert outcome.phases.connect_ms is not None
    assert outcome.phases.tls_ms is None


async def test_stalled_handshake_times_out_naming_the_stage(checker):
    async def mute(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()
        writer.close()

    server = await asyncio.start_server(mute, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        outcome = await checker.run(monitor(f"https://127.0.0.1:{port}/", timeout_s=0.3))
    assert (outcome.status, outcome.error_kind) == ("down", "timeout")
    assert outcome.error == "no response within 0.3 s during the TLS handshake"
    assert outcome.phases.connect_ms is not None
    assert outcome.phases.tls_ms is None


def ca_and_leaf(directory: Path) -> tuple[str, Path, Path, datetime]:
    """A CA and a localhost certificate it signed; the CA's PEM is what the checker trusts."""
    pytest.importorskip("cryptography", reason="cryptography is not installed")
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def name(common: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "upmon test"),
                x509.NameAttribute(NameOID.COMMON_NAME, common),
            ]
        )

    now = datetime.now(UTC).replace(microsecond=0)
    not_after = now + timedelta(days=30)
    ca_key, leaf_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("upmon test CA"))
        .issuer_name(name("upmon test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=60))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    san = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    leaf = (
        x509.CertificateBuilder()
        .subject_name(name("localhost"))
        .issuer_name(ca.subject)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(not_after)
        .add_extension(x509.SubjectAlternativeName(san), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    cert_path, key_path = directory / "leaf.pem", directory / "leaf.key"
    cert_path.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        leaf_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return ca.public_bytes(serialization.Encoding.PEM).decode(), cert_path, key_path, not_after
