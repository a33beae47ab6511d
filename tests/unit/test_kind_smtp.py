"""The smtp kind's definition rules and its reading of SMTP replies (pure: no server)."""

import asyncio

import msgspec
import pytest

from shared.kinds import REGISTRY
from shared.kinds.smtp import Refused, SmtpOptions, extensions, parse_line, read_reply
from shared.monitors import MonitorFields, validate


def fields(**kw) -> MonitorFields:
    return msgspec.convert({"name": "mail", "kind": "smtp", **kw}, MonitorFields)


@pytest.mark.parametrize(
    "body",
    [
        {"target": "mail.example.com"},
        {"target": "mail.example.com:587", "smtp": {"tls": "starttls", "warn_days": 30}},
        {"target": "[2001:db8::1]:465", "smtp": {"tls": "implicit"}},
        {"target": "192.0.2.1", "smtp": {"ehlo_name": "monitor.example.com"}},
    ],
)
def test_valid_smtp_monitors_have_no_errors(body):
    assert validate(fields(**body)) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"target": ""}, "target"),
        ({"target": "mail.example.com:0"}, "target"),
        ({"target": "not a host:25"}, "target"),
        ({"target": "mail.example.com", "smtp": {"ehlo_name": "bad name!"}}, "smtp.ehlo_name"),
    ],
)
def test_invalid_smtp_definitions_name_the_field(body, field):
    assert field in [e.field for e in validate(fields(**body))]


@pytest.mark.parametrize(
    ("smtp", "message"),
    [
        ({"tls": "ssl"}, r"Invalid enum value .ssl. - at `\$.smtp.tls`"),
        ({"warn_days": 4000}, r"Expected `int` <= 3650 - at `\$.smtp.warn_days`"),
        ({"ehlo_name": "x" * 254}, r"length <= 253 - at `\$.smtp.ehlo_name`"),
        ({"ehlo_name": "a\r\nRCPT TO:<x>"}, r"at `\$.smtp.ehlo_name`"),
        ({"bogus": 1}, r"unknown field `bogus` - at `\$.smtp`"),
    ],
)
def test_out_of_bounds_options_are_refused_where_they_are_decoded(smtp, message):
    with pytest.raises(msgspec.ValidationError, match=message):
        fields(target="mail.example.com", smtp=smtp)


def test_the_kind_is_registered_with_its_default_port_and_no_secrets():
    kind = REGISTRY["smtp"]
    assert (kind.options, kind.target, kind.default_port, kind.secrets) == (
        SmtpOptions,
        "host_port",
        25,
        (),
    )
    assert {f.name for f in kind.form} == set(SmtpOptions.__struct_fields__)


def test_a_reply_line_gives_its_code_whether_more_follow_and_its_text():
    assert parse_line(b"250-mail.example.com Hello\r\n") == (250, True, "mail.example.com Hello")
    assert parse_line(b"220 ready\r\n") == (220, False, "ready")
    assert parse_line(b"250\r\n") == (250, False, "")


@pytest.mark.parametrize("line", [b"HTTP/1.1 400 Bad Request\r\n", b"25 short\r\n", b"999 x\r\n"])
def test_a_line_that_is_not_smtp_is_an_expect_failure_quoting_it(line):
    with pytest.raises(Refused) as caught:
        parse_line(line)
    assert caught.value.error_kind == "expect"
    assert line.strip().decode()[:10] in caught.value.message


def test_a_peer_s_control_characters_never_reach_the_message():
    _code, _more, text = parse_line(b"220 evil\x1b[31m\x00 banner\r\n")
    assert "\x1b" not in text and "\x00" not in text


def test_the_extensions_are_the_keywords_after_the_greeting_line():
    lines = ["mail.example.com", "SIZE 35882577", "starttls", "8BITMIME", "STARTTLS", ""]
    assert extensions(lines) == ("SIZE", "STARTTLS", "8BITMIME")


def _reader(data: bytes, limit: int = 4096) -> asyncio.StreamReader:
    reader = asyncio.StreamReader(limit=limit)
    reader.feed_data(data)
    reader.feed_eof()
    return reader


async def test_a_multiline_reply_is_read_to_its_last_line():
    reader = _reader(b"250-one\r\n250-two\r\n250 three\r\n220 next\r\n")
    assert await read_reply(reader, "the EHLO reply") == (250, ["one", "two", "three"])


async def test_a_reply_cut_off_by_the_server_is_a_connection_failure():
    with pytest.raises(Refused) as caught:
        await read_reply(_reader(b"250-one\r\n250-tw"), "the EHLO reply")
    assert caught.value.error_kind == "connection"
    assert caught.value.message == (
        "the server closed the connection before the EHLO reply (it sent '250-tw')"
    )


async def test_endless_replies_are_bounded_by_lines_and_by_line_length():
    with pytest.raises(Refused, match="runs over 100 lines"):
        await read_reply(_reader(b"250-x\r\n" * 200), "the EHLO reply")
    with pytest.raises(Refused, match="a line over 4096 bytes"):
        await read_reply(_reader(b"220 " + b"x" * 10_000 + b"\r\n"), "the banner")
