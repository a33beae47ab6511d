"""The udp kind's options and rules: text or hex payloads, bounded, and a host:port target."""

from __future__ import annotations

import msgspec
import pytest

from shared.kinds.udp import KIND, MAX_PAYLOAD, UdpOptions, payload
from shared.monitors import MonitorFields, validate


def fields(target: str, **options) -> MonitorFields:
    body = {"name": "x", "kind": "udp", "target": target, "udp": options}
    return msgspec.convert(body, MonitorFields)


def problems(target: str, **options) -> list[tuple[str, str]]:
    return [(e.field, e.message) for e in validate(fields(target, **options))]


def test_a_host_and_port_with_text_payloads_is_valid():
    assert problems("ntp.example.com:123", send="PING", expect="PONG") == []


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("ntp.example.com", "must be host:port"),
        ("ntp.example.com:0", "port must be between 1 and 65535"),
        ("bad_host!:53", "host must be a host name or IP address"),
    ],
)
def test_a_bad_target_names_the_target(target, message):
    assert problems(target) == [("target", message)]


def test_hex_payloads_read_as_bytes_with_spaces_between_pairs():
    assert problems("10.0.0.1:53", send="de ad BE EF", expect="00", encoding="hex") == []
    assert payload("de ad BE EF", "hex") == b"\xde\xad\xbe\xef"
    assert payload("de ad", "text") == b"de ad"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("send", "abc", "must be hex digits in pairs (spaces between pairs allowed)"),
        ("expect", "zz", "must be hex digits in pairs (spaces between pairs allowed)"),
        ("expect", "   ", "must hold at least one byte"),
    ],
)
def test_bad_hex_names_the_field(field, value, message):
    assert problems("10.0.0.1:53", encoding="hex", **{field: value}) == [(f"udp.{field}", message)]


def test_text_longer_than_a_payload_once_encoded_is_refused():
    # Characters are bounded by the type; UTF-8 can make bytes of them up to four each.
    found = problems("10.0.0.1:53", send="é" * (MAX_PAYLOAD // 2 + 1))
    assert found == [("udp.send", f"must be at most {MAX_PAYLOAD} bytes")]


@pytest.mark.parametrize(
    "options",
    [{"send": "x" * (3 * MAX_PAYLOAD + 1)}, {"expect": ""}, {"encoding": "base64"}, {"port": 1}],
)
def test_options_out_of_bounds_do_not_decode(options):
    with pytest.raises(msgspec.ValidationError, match=r"at `\$\.udp"):
        fields("10.0.0.1:53", **options)


def test_the_kind_declares_its_form_from_its_options():
    assert {f.name for f in KIND.form} <= set(UdpOptions.__struct_fields__)
    assert KIND.target == "host_port"
    assert KIND.default_port is None


def test_a_form_left_empty_sends_an_empty_datagram():
    # The dashboard sends null for an empty text field.
    assert problems("10.0.0.1:53", send=None, expect=None) == []
    assert fields("10.0.0.1:53", send=None).udp.send is None
