"""Certificate verdicts and how certificate names are written: no network."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from shared.probes.tls import Cert, dn_text, judge, parse_cert
from tests.integration.servers.certs import TestCA

NOW = datetime(2030, 1, 1, tzinfo=UTC)


def cert(left: timedelta) -> Cert:
    return Cert(expires_at=NOW + left, issuer="CN=ca", subject="CN=host", names=["host"])


@pytest.mark.parametrize(
    ("left", "warn_days", "verdict"),
    [
        (timedelta(days=90), 14, ("up", None, None)),
        (
            timedelta(days=5, hours=1),
            14,
            ("degraded", None, "certificate expires in 5 days (warn_days 14)"),
        ),
        (timedelta(days=14, seconds=1), 14, ("up", None, None)),
        (timedelta(hours=1), 0, ("up", None, None)),
        (
            timedelta(0),
            14,
            ("down", "cert_expired", "certificate expired on 2030-01-01 00:00:00 UTC"),
        ),
        (
            -timedelta(days=3, hours=1),
            14,
            ("down", "cert_expired", "certificate expired on 2029-12-28 23:00:00 UTC (3 days ago)"),
        ),
    ],
)
def test_judge(left, warn_days, verdict):
    assert judge(cert(left), warn_days, NOW) == verdict


def test_days_left_rounds_down():
    assert cert(timedelta(days=1, hours=23)).days_left(NOW) == 1
    assert cert(-timedelta(hours=1)).days_left(NOW) == -1


def test_dn_text_puts_the_most_specific_name_first_and_escapes():
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example, Inc."),
            x509.NameAttribute(NameOID.COMMON_NAME, "example.com"),
            x509.NameAttribute(NameOID.EMAIL_ADDRESS, "ops@example.com"),
        ]
    )
    assert dn_text(name) == (
        r"emailAddress=ops@example.com, CN=example.com, O=Example\, Inc., C=DE"
    )


def test_empty_name_is_none():
    assert dn_text(x509.Name([])) is None


def test_parse_cert_reads_names_and_dates():
    ca = TestCA()
    issued = ca.issue(("localhost", "127.0.0.1"))
    parsed = parse_cert(issued.cert.public_bytes(Encoding.DER))
    assert parsed.expires_at == issued.not_after
    assert parsed.issuer == "CN=upmon test CA, O=upmon tests"
    assert parsed.subject == "CN=localhost, O=upmon tests"
    assert parsed.names == ["localhost", "127.0.0.1"]
