"""The HTTP/1.1 pieces of http checks that need no socket: request bytes, response reading."""

from __future__ import annotations

import gzip
import zlib

import pytest
from yarl import URL

from shared.probes import wire
from shared.probes.wire import BadResponse, Response

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=ISO-8859-1\r\n"


def fed(*parts: bytes, cap: int = 1024, head_only: bool = False) -> Response:
    response = Response(cap, head_only=head_only)
    for part in parts:
        response.feed(part)
    return response


def request_lines(raw: bytes) -> list[str]:
    head, _, _ = raw.partition(b"\r\n\r\n")
    return head.decode().split("\r\n")


def test_a_request_names_host_agent_encodings_and_closes():
    lines = request_lines(
        wire.request_bytes("GET", URL("http://example.com:8080/a b?q=1"), {}, None)
    )
    assert lines[0] == "GET /a%20b?q=1 HTTP/1.1"
    assert set(lines[1:]) == {
        "Host: example.com:8080",
        f"User-Agent: {wire.USER_AGENT}",
        "Accept: */*",
        "Accept-Encoding: gzip, deflate",
        "Connection: close",
    }


def test_default_ports_ipv6_and_idn_hosts_are_written_as_sent():
    assert "Host: [::1]" in request_lines(
        wire.request_bytes("GET", URL("http://[::1]:80/"), {}, None)
    )
    idn = wire.request_bytes("GET", URL("https://bücher.example/"), {}, None)
    assert "Host: xn--bcher-kva.example" in request_lines(idn)


def test_given_headers_win_and_framing_stays_the_clients():
    headers = {"user-agent": "mine/1", "Connection": "keep-alive", "Content-Length": "99"}
    raw = wire.request_bytes("POST", URL("http://h/"), headers, b"ping")
    lines = request_lines(raw)
    assert "user-agent: mine/1" in lines
    assert not any(line.startswith("User-Agent:") for line in lines)
    assert [line for line in lines if line.lower().startswith("content-length")] == [
        "Content-Length: 4"
    ]
    assert [line for line in lines if line.lower().startswith("connection")] == [
        "Connection: close"
    ]
    assert raw.endswith(b"\r\n\r\nping")


def test_a_post_without_body_says_its_length_is_zero():
    assert "Content-Length: 0" in request_lines(
        wire.request_bytes("POST", URL("http://h/"), {}, None)
    )
    assert not any(
        "Content-Length" in line
        for line in request_lines(wire.request_bytes("GET", URL("http://h/"), {}, None))
    )


@pytest.mark.parametrize(
    "headers",
    [{"X-Bad": "a\r\nInjected: 1"}, {"X-Nul": "a\0b"}, {"Bad Name": "x"}, {"X:y": "x"}],
)
def test_unsendable_headers_are_refused_without_repeating_the_value(headers):
    with pytest.raises(wire.Unsendable) as caught:
        wire.request_bytes("GET", URL("http://h/"), headers, None)
    assert "Injected" not in str(caught.value)


@pytest.mark.parametrize(
    ("status", "method", "then"),
    [
        (301, "POST", "GET"),
        (302, "POST", "GET"),
        (302, "PUT", "PUT"),
        (303, "PUT", "GET"),
        (303, "HEAD", "HEAD"),
        (307, "POST", "POST"),
        (308, "POST", "POST"),
    ],
)
def test_redirect_method(status, method, then):
    assert wire.redirect_method(status, method) == then


@pytest.mark.parametrize(
    ("content_type", "charset"),
    [
        ("text/html; charset=utf-8", "utf-8"),
        ('text/html; Charset="ISO-8859-1"', "ISO-8859-1"),
        ("text/html", None),
        (None, None),
        ("text/html; charset=", None),
    ],
)
def test_charset_of(content_type, charset):
    assert wire.charset_of(content_type) == charset


def test_a_content_length_body_in_pieces():
    response = fed(HEAD + b"Content-Length: 5\r\n\r\nhe", b"llo")
    assert (response.status, response.body, response.done, response.truncated) == (
        200,
        b"hello",
        True,
        False,
    )
    assert response.headers["content-type"] == "text/plain; charset=ISO-8859-1"


def test_a_chunked_body():
    response = fed(
        HEAD + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", b"6\r\n world\r\n0\r\n\r\n"
    )
    assert (response.body, response.done) == (b"hello world", True)


def test_a_body_read_until_the_server_closes():
    response = fed(b"HTTP/1.0 200 OK\r\n\r\nall of it")
    assert not response.done
    response.eof()
    assert (response.body, response.done) == (b"all of it", True)


@pytest.mark.parametrize(
    "parts",
    [
        [HEAD + b"Content-Length: 10\r\n\r\nshort"],
        [HEAD + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhel"],
        [b"HTTP/1.1 200 OK\r\nContent-"],
        [],
    ],
)
def test_an_answer_cut_short_is_an_error(parts):
    response = fed(*parts)
    with pytest.raises(BadResponse):
        response.eof()


def test_the_body_kept_stops_at_the_cap_and_says_it_went_on():
    response = fed(HEAD + b"Content-Length: 100\r\n\r\n" + b"a" * 40, b"b" * 60, cap=50)
    assert (response.body, response.truncated, response.done) == (b"a" * 40 + b"b" * 10, True, True)
    exact = fed(HEAD + b"Content-Length: 50\r\n\r\n" + b"a" * 50, cap=50)
    assert (len(exact.body), exact.truncated) == (50, False)
    nothing = fed(HEAD + b"Content-Length: 3\r\n\r\nabc", cap=0)
    assert (nothing.body, nothing.truncated) == (b"", True)


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate"])
def test_compressed_bodies_are_decoded(encoding):
    text = b"all systems operational " * 100
    if encoding == "gzip":
        data = gzip.compress(text)
    elif encoding == "deflate":
        data = zlib.compress(text)
    else:
        squeeze = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        data, encoding = squeeze.compress(text) + squeeze.flush(), "deflate"
    head = HEAD + f"Content-Encoding: {encoding}\r\nContent-Length: {len(data)}\r\n\r\n".encode()
    response = fed(head + data[:10], data[10:], cap=len(text))
    assert (response.body, response.truncated) == (text, False)


def test_a_decompression_bomb_is_capped_after_decoding():
    bomb = gzip.compress(b"\0" * 10_000_000)
    head = HEAD + f"Content-Encoding: gzip\r\nContent-Length: {len(bomb)}\r\n\r\n".encode()
    response = fed(head + bomb, cap=1000)
    assert (len(response.body), response.truncated, response.done) == (1000, True, True)


def test_a_body_that_does_not_decode_is_an_error():
    with pytest.raises(BadResponse, match="gzip body could not be decoded"):
        fed(HEAD + b"Content-Encoding: gzip\r\nContent-Length: 8\r\n\r\nnot gzip")


def test_interim_answers_are_skipped():
    response = fed(
        b"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + HEAD + b"Content-Length: 2\r\n\r\nok"
    )
    assert (response.status, response.body, "link" in response.headers) == (200, b"ok", False)


def test_head_only_is_done_with_the_headers():
    response = fed(HEAD + b"Content-Length: 1000\r\n\r\n", head_only=True)
    assert (response.done, response.body) == (True, b"")


def test_repeated_headers_are_joined():
    response = fed(HEAD + b"Vary: a\r\nVary: b\r\nContent-Length: 0\r\n\r\n")
    assert response.headers["vary"] == "a, b"


@pytest.mark.parametrize(
    "start",
    [b"HTTP/1.1 abc OK\r\n\r\n", b"SSH-2.0-OpenSSH_9.6\r\n", b"\x16\x03\x01\x00\xa5\x01"],
)
def test_what_is_not_an_http_response_is_an_error(start):
    with pytest.raises(BadResponse, match="invalid HTTP response"):
        fed(start)


def test_a_head_without_end_is_bounded():
    response = Response(1024)
    response.feed(b"HTTP/1.1 200 OK\r\n")
    with pytest.raises(BadResponse, match="larger than"):
        for _ in range(wire.MAX_HEAD_BYTES // 1000 + 2):
            response.feed(b"X-Pad: " + b"p" * 990 + b"\r\n")


def test_one_endless_header_line_is_bounded():
    response = Response(1024)
    response.feed(b"HTTP/1.1 200 OK\r\nX-Long: ")
    with pytest.raises(BadResponse, match="larger than"):
        for _ in range(wire.MAX_HEAD_BYTES // 4096 + 2):
            response.feed(b"v" * 4096)


def test_switching_protocols_is_refused():
    with pytest.raises(BadResponse, match="switched protocols"):
        fed(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
        )


def test_basic_auth_is_utf8_base64():
    assert wire.basic_auth("probe", "pässword") == "Basic cHJvYmU6cMOkc3N3b3Jk"


def test_a_head_that_arrives_whole_in_one_read_is_bounded_too():
    pad = b"".join(b"X-Pad-%d: %s\r\n" % (i, b"p" * 1000) for i in range(70))
    with pytest.raises(BadResponse, match="larger than"):
        fed(HEAD + pad + b"Content-Length: 0\r\n\r\n")
