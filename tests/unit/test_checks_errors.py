"""Error mapping, phase bookkeeping and name handling: the pieces that need no network."""

from __future__ import annotations

import errno
import socket
import ssl
import time
from datetime import UTC, datetime

import pytest

from shared import egress
from shared.egress import EgressDenied
from shared.monitors import Monitor
from shared.probes import ERROR_KINDS, Checker, endpoint, resolve
from shared.probes.client import HopError, InvalidUrl
from shared.probes.errors import describe, error_kind
from shared.probes.resolve import Resolver, is_invalid_name, is_ip_literal
from shared.probes.timing import Timeline
from shared.probes.wire import BadResponse


def hop(error: BaseException) -> HopError:
    return HopError("example.com", 443, error)


def monitor(kind: str, target: str) -> Monitor:
    at = datetime(2030, 1, 1, tzinfo=UTC)
    return Monitor(
        id="m", name="m", kind=kind, target=target, timeout_s=5.0, created_at=at, updated_at=at
    )


def cert_error() -> ssl.SSLCertVerificationError:
    exc = ssl.SSLCertVerificationError(1, "certificate verify failed")
    exc.verify_message = "self-signed certificate"
    return exc


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (TimeoutError(), "timeout"),
        (hop(TimeoutError(errno.ETIMEDOUT, "Connect call timed out")), "timeout"),
        (socket.gaierror(socket.EAI_NONAME, "Name or service not known"), "dns"),
        (hop(socket.gaierror(-2, "unknown")), "dns"),
        (ConnectionRefusedError(errno.ECONNREFUSED, "Connect call failed"), "refused"),
        # Happy eyeballs folds several refusals into one plain OSError.
        (OSError(errno.ECONNREFUSED, "Multiple exceptions: ..."), "refused"),
        (hop(ConnectionRefusedError(111, "refused")), "refused"),
        (hop(cert_error()), "tls"),
        (hop(ssl.SSLError(1, "wrong version")), "tls"),
        (ssl.SSLError(1, "bad record mac"), "tls"),
        (
            hop(BadResponse("the server closed the connection without a complete response")),
            "connection",
        ),
        (hop(OSError(errno.EHOSTUNREACH, "No route")), "connection"),
        (ConnectionResetError(errno.ECONNRESET, "reset"), "connection"),
        (InvalidUrl("http://[::1"), "connection"),
        (hop(EgressDenied("egress to example.com denied: metadata")), "egress_denied"),
    ],
)
def test_error_kind(exc, kind):
    assert error_kind(exc) == kind
    assert kind in ERROR_KINDS


def test_messages_say_what_failed_and_where():
    where = {"host": "example.com", "port": 8080, "timeout_s": 5.0}
    assert describe(TimeoutError(), **where) == "no response within 5 s"
    assert describe(TimeoutError(), **{**where, "timeout_s": 0.25}) == "no response within 0.25 s"
    gai = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    assert describe(gai, **where) == "could not resolve example.com: Name or service not known"
    refused = ConnectionRefusedError(errno.ECONNREFUSED, "x")
    assert describe(refused, **where) == "connection refused by example.com:8080"
    reset = ConnectionResetError(errno.ECONNRESET, "Connection reset by peer")
    assert (
        describe(reset, **where)
        == "connection to example.com:8080 failed: Connection reset by peer"
    )


def test_tls_message_carries_the_verification_reason():
    message = describe(hop(cert_error()), host="ignored", port=1, timeout_s=5.0)
    assert (
        message
        == "TLS failure with example.com:443: certificate verify failed: self-signed certificate"
    )


def test_a_hop_names_its_own_host_and_a_bad_answer_says_why():
    where = {"host": "first.example", "port": 80, "timeout_s": 5.0}
    cut = hop(BadResponse("the server closed the connection before the body was complete"))
    assert describe(cut, **where) == (
        "connection to example.com:443 failed:"
        " the server closed the connection before the body was complete"
    )
    assert describe(InvalidUrl("ftp://x/"), **where) == "invalid URL 'ftp://x/'"


def test_endpoint_for_messages():
    assert endpoint(monitor("http", "https://example.com/x")) == ("example.com", 443)
    assert endpoint(monitor("http", "http://example.com:81/")) == ("example.com", 81)
    assert endpoint(monitor("tcp", "[::1]:5432")) == ("::1", 5432)
    assert endpoint(monitor("http", "http://[::1")) == ("http://[::1", None)


def test_nested_phase_is_not_counted_twice():
    timeline = Timeline()
    timeline.start("connect_ms")
    timeline.start("dns_ms")
    time.sleep(0.02)
    timeline.stop("dns_ms")
    time.sleep(0.01)
    timeline.stop("connect_ms")
    phases = timeline.phases()
    assert phases.dns_ms >= 20
    assert 10 <= phases.connect_ms < 20


def test_phases_accumulate_across_hops_and_unfinished_ones_stay_none():
    timeline = Timeline()
    for _ in range(2):
        timeline.start("ttfb_ms")
        time.sleep(0.01)
        timeline.stop("ttfb_ms")
    timeline.start("transfer_ms")
    phases = timeline.phases()
    assert phases.ttfb_ms >= 20
    assert phases.transfer_ms is None
    assert phases.dns_ms is None
    assert timeline.stage() == "while reading the body"


def test_stage_prefers_an_explicit_wait():
    timeline = Timeline()
    assert timeline.stage() is None
    timeline.start("connect_ms")
    timeline.start("dns_ms")
    assert timeline.stage() == "while resolving the host name"
    timeline.waiting = "while waiting for b'PONG'"
    assert timeline.stage() == "while waiting for b'PONG'"


def test_invalid_names():
    assert is_invalid_name("nothing.invalid")
    assert is_invalid_name("a.b.INVALID.")
    assert is_invalid_name("invalid")
    assert not is_invalid_name("invalid.example.com")
    assert not is_invalid_name("notinvalid")
    assert is_ip_literal("127.0.0.1")
    assert is_ip_literal("::1")
    assert not is_ip_literal("localhost")


async def test_invalid_names_never_reach_a_dns_server():
    with pytest.raises(socket.gaierror):
        await Resolver().resolve("probe.invalid", 80)


@pytest.mark.parametrize("kind", ["heartbeat"])
async def test_kinds_without_a_probe_are_unsupported_by_the_checker(kind):
    async with Checker() as checker:
        outcome = await checker.run(monitor(kind, "example.com"))
    assert outcome.status == "down"
    assert outcome.error_kind == "unsupported"
    assert outcome.error == f"kind {kind} is not supported by this executor version"


def test_address_verdicts_follow_the_policy_of_the_running_check():
    infos = [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", ("10.1.2.3", 80))]
    for _ in range(2):  # the second round is answered from the verdict cache
        for rules, allowed in ((egress.Policy(), True), (egress.Policy(private=True), False)):
            token = resolve.policy.set(rules)
            try:
                if allowed:
                    assert resolve.permitted("h", infos, 80) == infos
                else:
                    with pytest.raises(EgressDenied, match="private address"):
                        resolve.permitted("h", infos, 80)
            finally:
                resolve.policy.reset(token)
