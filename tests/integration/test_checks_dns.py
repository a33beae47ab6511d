"""DNS checks against a real DNS server on loopback: every query stays on this machine."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from shared.kinds.dns import DnsSpec
from shared.monitors import Monitor
from shared.probes import Checker
from tests.integration.servers.dns_server import DnsServer, name


@pytest.fixture(scope="module")
async def server() -> AsyncIterator[DnsServer]:
    async with DnsServer() as running:
        yield running


@pytest.fixture(scope="module")
async def checker() -> AsyncIterator[Checker]:
    async with Checker() as shared:
        yield shared


def monitor(
    server: DnsServer, target: str, record_type: str = "A", *expected: str, timeout_s: float = 2.0
) -> Monitor:
    at = datetime.now(UTC)
    spec = DnsSpec(record_type=record_type, expected=list(expected), resolver=server.address)
    return Monitor(
        id="m1",
        name="dns target",
        kind="dns",
        target=target,
        timeout_s=timeout_s,
        dns=spec,
        created_at=at,
        updated_at=at,
    )


@pytest.mark.parametrize(
    ("target", "record_type", "expected", "answers"),
    [
        ("www", "A", ["192.0.2.11", "192.0.2.10"], ["192.0.2.10", "192.0.2.11"]),
        ("www", "AAAA", ["2001:DB8:0::10"], ["2001:db8::10"]),
        ("alias", "CNAME", ["WWW.upmon.test."], ["www.upmon.test"]),
        # An alias asked for addresses answers with those of the name it points to.
        ("alias", "A", ["192.0.2.10"], ["192.0.2.10", "192.0.2.11"]),
        (
            "@",
            "MX",
            ["10 mail.upmon.test", "backup.upmon.test."],
            [
                "10 mail.upmon.test",
                "20 backup.upmon.test",
            ],
        ),
        ("@", "TXT", ["token=Abc123"], ["token=Abc123", "v=spf1 -all"]),
        ("@", "NS", ["ns1.upmon.test", "ns2.upmon.test"], ["ns1.upmon.test", "ns2.upmon.test"]),
    ],
)
async def test_each_record_type_is_up_with_its_expected_values(
    server, checker, target, record_type, expected, answers
):
    outcome = await checker.run(monitor(server, name(target), record_type, *expected))
    assert (outcome.status, outcome.error_kind, outcome.error) == ("up", None, None)
    assert outcome.details == {"record_type": record_type, "answers": answers}
    assert outcome.phases.dns_ms is not None
    assert outcome.phases.dns_ms <= outcome.latency_ms


async def test_any_answer_will_do_without_expected_values(server, checker):
    outcome = await checker.run(monitor(server, "www.upmon.test", "A"))
    assert outcome.status == "up"


async def test_a_missing_value_is_a_mismatch(server, checker):
    outcome = await checker.run(monitor(server, "www.upmon.test", "A", "192.0.2.10", "192.0.2.99"))
    assert (outcome.status, outcome.error_kind) == ("down", "dns_mismatch")
    assert outcome.error == (
        "A answer for www.upmon.test lacks 192.0.2.99: "
        "expected [192.0.2.10, 192.0.2.99], got [192.0.2.10, 192.0.2.11]"
    )
    assert outcome.details["answers"] == ["192.0.2.10", "192.0.2.11"]


async def test_mx_preference_must_match_when_given(server, checker):
    outcome = await checker.run(monitor(server, "upmon.test", "MX", "20 mail.upmon.test"))
    assert outcome.error_kind == "dns_mismatch"


async def test_unknown_name_is_nxdomain(server, checker):
    outcome = await checker.run(monitor(server, "nope.upmon.test", "A"))
    assert (outcome.status, outcome.error_kind) == ("down", "nxdomain")
    assert outcome.error == "nope.upmon.test does not exist (NXDOMAIN)"
    assert outcome.latency_ms is not None


async def test_invalid_domain_is_nxdomain_without_a_query(server, checker):
    asked = len(server.queries)
    outcome = await checker.run(monitor(server, "host.invalid", "A"))
    assert (outcome.status, outcome.error_kind) == ("down", "nxdomain")
    assert len(server.queries) == asked


@pytest.mark.parametrize("rcode", ["SERVFAIL", "REFUSED"])
async def test_server_failure_and_refusal_are_servfail(server, checker, rcode):
    outcome = await checker.run(monitor(server, name(rcode.lower()), "A"))
    assert (outcome.status, outcome.error_kind) == ("down", "servfail")
    assert outcome.error == (
        f"resolver Do53:127.0.0.1@{server.port} answered {rcode} for {rcode.lower()}.upmon.test"
    )


async def test_no_record_of_that_type_is_no_answer(server, checker):
    outcome = await checker.run(monitor(server, "mail.upmon.test", "AAAA"))
    assert (outcome.status, outcome.error_kind) == ("down", "no_answer")
    assert outcome.error == "mail.upmon.test exists but has no AAAA record"


async def test_silence_is_a_timeout_within_the_monitor_deadline(server, checker):
    outcome = await checker.run(monitor(server, "silent.upmon.test", "A", timeout_s=0.4))
    assert (outcome.status, outcome.error_kind) == ("down", "timeout")
    assert outcome.error == "no DNS answer within 0.4 s"
    assert outcome.details == {"record_type": "A"}


async def test_resolver_given_by_name(server, checker):
    target = monitor(server, "www.upmon.test", "A")
    target.dns.resolver = f"localhost:{server.port}"
    outcome = await checker.run(target)
    assert outcome.status == "up"


async def test_resolver_name_that_does_not_resolve(server, checker):
    target = monitor(server, "www.upmon.test", "A")
    target.dns.resolver = "resolver.invalid"
    outcome = await checker.run(target)
    assert (outcome.status, outcome.error_kind) == ("down", "dns")
    assert outcome.error.startswith("could not resolve the resolver resolver.invalid")
