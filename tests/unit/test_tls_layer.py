"""The trust an http check verifies servers against: the system's CAs by default, or the
CAs of a context the Checker was given (a private PKI)."""

from __future__ import annotations

import ssl

import pytest
from OpenSSL import crypto

from shared.probes.tls_layer import Contexts
from tests.integration.servers.certs import TestCA


def verifies(contexts: Contexts, cert: crypto.X509) -> bool:
    try:
        crypto.X509StoreContext(contexts.verifying.get_cert_store(), cert).verify_certificate()
    except crypto.X509StoreContextError:
        return False
    return True


def a_system_ca() -> crypto.X509:
    paths = ssl.get_default_verify_paths()
    context = ssl.create_default_context()
    found = context.get_ca_certs(binary_form=True)
    if not found:
        pytest.fail(f"no system CA certificates at {paths.cafile} or {paths.capath}")
    return crypto.load_certificate(crypto.FILETYPE_ASN1, found[0])


def test_the_default_trust_is_the_systems():
    assert verifies(Contexts(None), a_system_ca())


def test_a_given_context_replaces_the_system_trust_with_its_own_cas():
    ca = TestCA()
    leaf = crypto.X509.from_cryptography(ca.issue().cert)
    private = Contexts(ca.client_context())
    assert verifies(private, leaf)
    assert not verifies(private, a_system_ca())
    assert not verifies(Contexts(None), leaf)


def test_unverified_and_verifying_contexts_differ():
    contexts = Contexts(None)
    assert contexts.get(True) is contexts.verifying
    assert contexts.get(False) is contexts.plain
    assert contexts.plain.get_verify_mode() == 0
