"""How DNS answers are written and compared with expected values: no network."""

from __future__ import annotations

import dns.rdata
import pytest

from shared.kinds.dns import DnsSpec
from shared.probes.dns import answer_text, mismatch


@pytest.mark.parametrize(
    ("record_type", "wire_text", "text"),
    [
        ("A", "192.0.2.1", "192.0.2.1"),
        ("AAAA", "2001:db8:0:0::1", "2001:db8::1"),
        ("CNAME", "www.example.com.", "www.example.com"),
        ("NS", "ns1.example.com.", "ns1.example.com"),
        ("MX", "10 mail.example.com.", "10 mail.example.com"),
        ("TXT", '"v=spf1 " "include:example.com -all"', "v=spf1 include:example.com -all"),
    ],
)
def test_answer_text(record_type, wire_text, text):
    assert answer_text(dns.rdata.from_text("IN", record_type, wire_text)) == text


@pytest.mark.parametrize(
    ("record_type", "expected", "answers"),
    [
        ("A", ["192.0.2.1"], ["192.0.2.1", "192.0.2.2"]),
        ("AAAA", ["2001:DB8::0:1"], ["2001:db8::1"]),
        ("CNAME", ["WWW.Example.com."], ["www.example.com"]),
        ("MX", ["10 mail.example.com."], ["10 mail.example.com"]),
        ("MX", ["MAIL.example.com"], ["10 mail.example.com"]),
        ("MX", ["10  mail.example.com"], ["10 mail.example.com"]),
        ("TXT", ["V=SPF1 -all"], ["v=spf1 -all"]),
        ("NS", [], ["ns1.example.com"]),
    ],
)
def test_expected_values_match_in_their_usual_spellings(record_type, expected, answers):
    assert mismatch(DnsSpec(record_type=record_type, expected=expected), "x.test", answers) is None


@pytest.mark.parametrize(
    ("record_type", "expected", "answers"),
    [
        ("A", ["192.0.2.3"], ["192.0.2.1"]),
        ("MX", ["20 mail.example.com"], ["10 mail.example.com"]),
        ("TXT", ["v=spf1 -all."], ["v=spf1 -all"]),
        ("CNAME", ["example.com"], []),
    ],
)
def test_values_that_differ_are_a_mismatch(record_type, expected, answers):
    assert mismatch(DnsSpec(record_type=record_type, expected=expected), "x.test", answers)


def test_mismatch_lists_the_missing_the_expected_and_the_answer():
    spec = DnsSpec(record_type="A", expected=["192.0.2.1", "192.0.2.9"])
    assert mismatch(spec, "www.example.com.", ["192.0.2.1", "192.0.2.2"]) == (
        "A answer for www.example.com lacks 192.0.2.9: "
        "expected [192.0.2.1, 192.0.2.9], got [192.0.2.1, 192.0.2.2]"
    )
