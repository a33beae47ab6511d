"""The grpc kind's declaration, options and the reading of grpc's failure texts: no network."""

from __future__ import annotations

import socket
from types import SimpleNamespace

import msgspec
import pytest

from shared.kinds import grpc as kind
from shared.kinds.grpc import GrpcOptions, rpc_error, rules


def test_defaults_ask_about_the_whole_server_in_plaintext():
    assert msgspec.convert({}, GrpcOptions) == GrpcOptions(service=None, tls=False)


def test_an_empty_service_field_from_the_form_is_the_whole_server():
    assert msgspec.convert({"service": None, "tls": True}, GrpcOptions).service is None


@pytest.mark.parametrize("service", ["grpc.health.v1.Health", "my-app/api_v2", ""])
def test_package_and_service_names_are_accepted(service):
    assert msgspec.convert({"service": service}, GrpcOptions).service == service


@pytest.mark.parametrize("service", ["a b", "x\n", "svc\x00", "é", "x" * 257])
def test_service_names_outside_the_form_or_too_long_are_refused(service):
    with pytest.raises(msgspec.ValidationError, match="service"):
        msgspec.convert({"service": service}, GrpcOptions)


def test_unknown_options_are_refused():
    with pytest.raises(msgspec.ValidationError, match="authority"):
        msgspec.convert({"authority": "x"}, GrpcOptions)


def test_the_form_names_only_options_and_the_target_needs_a_port():
    names = {f.name for f in kind.KIND.form}
    assert names == set(GrpcOptions.__struct_fields__)
    assert kind.KIND.target == "host_port" and kind.KIND.default_port is None
    assert kind.KIND.error_kinds == {"expect", "grpc_status"}


REFUSED = (
    "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:5051: "
    "Failed to connect to remote host: Connection refused"
)
UNTRUSTED = (
    "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:5051: "
    "Tls handshake failed (TSI_PROTOCOL_FAILURE): SSL_ERROR_SSL: error:1000007d:SSL "
    "routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED: unable to get local issuer certificate"
)
WRONG_NAME = (
    "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:5051: Custom "
    "verification check failed with error: UNAUTHENTICATED: Hostname Verification Check failed."
)


@pytest.mark.parametrize(
    ("code", "details", "kind", "message"),
    [
        ("UNAVAILABLE", REFUSED, "refused", "connection refused by api.test:5051"),
        ("UNAVAILABLE", UNTRUSTED, "tls", "TLS failure with api.test:5051: Tls handshake"),
        ("UNAVAILABLE", WRONG_NAME, "tls", "TLS failure with api.test:5051: Custom verification"),
        (
            "UNAVAILABLE",
            "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:5051: "
            "Socket closed",
            "connection",
            "connection to api.test:5051 failed: Socket closed",
        ),
        ("NOT_FOUND", "", "grpc_status", "NOT_FOUND (the server does not know the service)"),
        ("UNIMPLEMENTED", "", "grpc_status", "UNIMPLEMENTED (the server has no health service)"),
        ("PERMISSION_DENIED", "no\x1b[31m", "grpc_status", "PERMISSION_DENIED: no [31m"),
    ],
)
def test_failed_calls_map_to_the_error_taxonomy(code, details, kind, message):
    got_kind, got_message = rpc_error(code, details, "api.test", 5051)
    assert got_kind == kind
    assert message in got_message
    assert "\x1b" not in got_message


def _info(address: str, port: int):
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sockaddr = (address, port, 0, 0) if ":" in address else (address, port)
    return (family, socket.SOCK_STREAM, 6, "", sockaddr)


def test_addresses_become_one_grpc_target_per_family_in_answer_order():
    infos = [_info("::1", 80), _info("127.0.0.1", 80), _info("10.0.0.2", 80), _info("::1", 80)]
    assert kind._targets(infos, 80) == ["ipv6:[::1]:80", "ipv4:127.0.0.1:80,10.0.0.2:80"]


@pytest.mark.parametrize("target", ["api.example.com:50051", "[::1]:443", "10.0.0.5:9000"])
def test_host_port_targets_are_accepted(target):
    assert rules(SimpleNamespace(target=target), GrpcOptions()) == []


@pytest.mark.parametrize("target", ["api.example.com", "", "api.example.com:0", "a_b c:1"])
def test_a_target_without_a_valid_port_is_refused_naming_target(target):
    assert [e.field for e in rules(SimpleNamespace(target=target), GrpcOptions())] == ["target"]
