"""The websocket kind's options and rules: what a monitor may say, and what is refused."""

from __future__ import annotations

import msgspec
import pytest

from shared.kinds.websocket import KIND, MAX_TOKEN, WebsocketOptions
from shared.monitors import MonitorFields, validate
from shared.sealing import MASK


def fields(target: str, **options) -> MonitorFields:
    body = {"name": "x", "kind": "websocket", "target": target, "websocket": options}
    return msgspec.convert(body, MonitorFields)


def problems(target: str, **options) -> list[tuple[str, str]]:
    return [(e.field, e.message) for e in validate(fields(target, **options))]


@pytest.mark.parametrize(
    "target",
    [
        "ws://example.com/socket",
        "wss://example.com:8443/a?b=c",
        "ws://127.0.0.1:9000",
        "ws://[::1]/",
    ],
)
def test_ws_and_wss_urls_are_accepted(target):
    assert problems(target) == []


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("", "is required for websocket monitors"),
        ("https://example.com/", "must be a ws:// or wss:// URL"),
        ("example.com:80", "must be a ws:// or wss:// URL"),
        ("ws:///path", "URL has no host"),
        ("ws://exa_mple..com/", "URL host is not a valid host name"),
        ("ws://example.com:0/", "port must be between 1 and 65535"),
        ("ws://example.com:99999/", "invalid URL: Port out of range 0-65535"),
        ("wss://example.com/#top", "a WebSocket URL has no #fragment"),
        ("wss://user@example.com/", "username provided without password"),
        ("wss://%ff:pw@example.com/", "the user part is not valid percent-encoded UTF-8"),
    ],
)
def test_a_bad_target_names_the_target(target, message):
    assert problems(target) == [("target", message)]


@pytest.mark.parametrize("code", [1000, 1003, 1007, 1014, 3000, 4999])
def test_close_codes_a_server_may_send_are_accepted(code):
    assert problems("ws://example.com/", close_code=code) == []


@pytest.mark.parametrize("code", [1004, 1005, 1006, 1015, 2999])
def test_reserved_close_codes_are_refused_naming_the_field(code):
    [(field, message)] = problems("ws://example.com/", close_code=code)
    assert field == "websocket.close_code"
    assert "1000-1003, 1007-1014 or 3000-4999" in message


def test_a_repeated_subprotocol_is_refused():
    found = problems("ws://example.com/", subprotocols=["chat", "chat"])
    assert found == [("websocket.subprotocols", "must not repeat a subprotocol")]


@pytest.mark.parametrize(
    "options",
    [
        {"close_code": 999},
        {"close_code": 5000},
        {"send": "x" * 4097},
        {"expect": ""},
        {"subprotocols": ["has space"]},
        {"subprotocols": [f"p{i}" for i in range(9)]},
        {"unknown": 1},
    ],
)
def test_options_out_of_bounds_do_not_decode(options):
    with pytest.raises(msgspec.ValidationError, match=r"at `\$\.websocket"):
        fields("ws://example.com/", **options)


def test_the_kind_declares_its_form_from_its_options():
    names = set(WebsocketOptions.__struct_fields__)
    assert {f.name for f in KIND.form} <= names
    assert KIND.target == "url"
    assert "protocol" in KIND.error_kinds


@pytest.mark.parametrize("origin", ["https://app.example.com", "http://localhost:3000"])
def test_an_origin_as_a_browser_sends_it_is_accepted(origin):
    assert problems("wss://example.com/", origin=origin) == []


@pytest.mark.parametrize(
    ("origin", "message"),
    [
        (
            "https://app.example.com/page",
            "must be scheme://host[:port] only, as a browser sends it",
        ),
        ("https://u:p@app.example.com", "must be scheme://host[:port] only, as a browser sends it"),
        ("ftp://app.example.com", "must be an https:// or http:// URL"),
    ],
)
def test_a_bad_origin_names_the_field(origin, message):
    assert problems("wss://example.com/", origin=origin) == [("websocket.origin", message)]


def test_a_bearer_token_is_a_secret_bounded_in_bytes():
    assert KIND.secrets == ("bearer_token",)
    assert problems("wss://example.com/", bearer_token="t" * MAX_TOKEN) == []
    found = problems("wss://example.com/", bearer_token="é" * (MAX_TOKEN // 2 + 1))
    assert found == [("websocket.bearer_token", f"must be at most {MAX_TOKEN} bytes")]
    # A token shown masked and sent back unchanged is the stored one, kept as it is.
    assert problems("wss://example.com/", bearer_token=MASK) == []


def test_a_bearer_token_and_a_user_in_the_target_are_refused_together():
    found = problems("wss://user:pw@example.com/", bearer_token="t")
    assert found == [
        ("websocket.bearer_token", "give a user in the target or a bearer_token, not both")
    ]


def test_a_bearer_token_with_an_unparsable_target_reports_only_the_target():
    [(field, message)] = problems("ws://[::1/", bearer_token="t")
    assert field == "target"
    assert message.startswith("invalid URL")
