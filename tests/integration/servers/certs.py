"""Certificates made on the spot: a test CA, the leaves it signs, and self-signed ones."""

from __future__ import annotations

import ipaddress
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ORG = "upmon tests"
LOOPBACK_NAMES = ("localhost", "127.0.0.1")


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORG),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _san(names: tuple[str, ...]) -> x509.SubjectAlternativeName:
    entries: list[x509.GeneralName] = []
    for name in names:
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            entries.append(x509.DNSName(name))
    return x509.SubjectAlternativeName(entries)


def _now() -> datetime:
    # Certificates keep whole seconds; so do the times tests compare with them.
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Issued:
    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def not_after(self) -> datetime:
        return self.cert.not_valid_after_utc

    def write(self, directory: Path) -> tuple[Path, Path]:
        """The certificate and its key as PEM files (servers and clients want files)."""
        serial = f"{self.cert.serial_number:x}"
        cert_path, key_path = directory / f"{serial}.crt", directory / f"{serial}.key"
        cert_path.write_bytes(self.cert_pem)
        key_path.write_bytes(
            self.key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        return cert_path, key_path

    def server_context(self, directory: Path) -> ssl.SSLContext:
        """A server-side context presenting this certificate (the ssl module wants files)."""
        serial = f"{self.cert.serial_number:x}"
        cert_path, key_path = directory / f"{serial}.crt", directory / f"{serial}.key"
        cert_path.write_bytes(self.cert_pem)
        key_path.write_bytes(
            self.key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert_path, key_path)
        return context


def _builder(
    subject: x509.Name,
    issuer: x509.Name,
    key: ec.EllipticCurvePrivateKey,
    *,
    not_before: datetime,
    not_after: datetime,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )


class TestCA:
    """A private CA: trust `cert_pem` in a client context to make its leaves valid."""

    __test__ = False  # not a pytest test class

    def __init__(self, common_name: str = "upmon test CA") -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        now = _now()
        name = _name(common_name)
        self.cert = (
            _builder(
                name,
                name,
                self.key,
                not_before=now - timedelta(days=1),
                not_after=now + timedelta(days=3650),
            )
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_usage(ca=True), critical=True)
            .sign(self.key, hashes.SHA256())
        )

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cadata=self.cert_pem.decode())

    def issue(
        self,
        names: tuple[str, ...] = LOOPBACK_NAMES,
        *,
        days: float = 90,
        valid_from_days: float = -1,
        client: bool = False,
    ) -> Issued:
        """A leaf valid from `valid_from_days` to `days` from now (negative: in the past);
        `client` lets it also prove a client's identity (mutual TLS)."""
        usages = [ExtendedKeyUsageOID.SERVER_AUTH]
        if client:
            usages.append(ExtendedKeyUsageOID.CLIENT_AUTH)
        key = ec.generate_private_key(ec.SECP256R1())
        now = _now()
        ski = self.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        cert = (
            _builder(
                _name(names[0]),
                self.cert.subject,
                key,
                not_before=now + timedelta(days=valid_from_days),
                not_after=now + timedelta(days=days),
            )
            .add_extension(_san(names), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(ca=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
            )
            .sign(self.key, hashes.SHA256())
        )
        return Issued(cert=cert, key=key)


def self_signed(
    names: tuple[str, ...] = LOOPBACK_NAMES, *, days: float = 90, valid_from_days: float = -1
) -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    now = _now()
    name = _name(names[0])
    cert = (
        _builder(
            name,
            name,
            key,
            not_before=now + timedelta(days=valid_from_days),
            not_after=now + timedelta(days=days),
        )
        .add_extension(_san(names), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(cert=cert, key=key)


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )
