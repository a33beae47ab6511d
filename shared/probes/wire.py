"""HTTP/1.1 as a check speaks it: the request bytes, and the response read by llhttp.

Pure: bytes in, bytes out, no socket. The client (checks/client.py) feeds what arrives.
Every answer is bounded: the response head, the body kept (max_body_bytes, after
decoding), and the decoder's output, whatever the peer sends.
"""

from __future__ import annotations

import base64
import re
import zlib
from collections.abc import Mapping

import httptools
from yarl import URL

USER_AGENT = "upmon/0.1 (+uptime check)"
# Status line and headers together; browsers and servers stop at 8-64 KiB too.
MAX_HEAD_BYTES = 64 * 1024
ACCEPT_ENCODING = "gzip, deflate"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# Framing is the client's alone: the connection is never reused, the length is computed.
_OWN_HEADERS = frozenset({"connection", "content-length", "transfer-encoding", "keep-alive"})
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_DEFAULT_LINES = (
    ("user-agent", f"User-Agent: {USER_AGENT}"),
    ("accept", "Accept: */*"),
    ("accept-encoding", f"Accept-Encoding: {ACCEPT_ENCODING}"),
)


class Unsendable(ValueError):
    """A request that cannot be put on the wire; the message never repeats a value."""


class BadResponse(Exception):
    """An answer that is not HTTP/1.1 this client reads, or one that broke off."""


def request_bytes(method: str, url: URL, headers: Mapping[str, str], body: bytes | None) -> bytes:
    """The whole request; headers given by the monitor win over the defaults."""
    given = {name.lower() for name in headers} if headers else frozenset()
    lines = [f"{method} {url.raw_path_qs or '/'} HTTP/1.1"]
    if "host" not in given:
        lines.append(f"Host: {url.host_port_subcomponent or ''}")
    lines += [line for key, line in _DEFAULT_LINES if key not in given]
    lines += [_header_line(n, v) for n, v in headers.items() if n.lower() not in _OWN_HEADERS]
    if body is not None or method in _BODY_METHODS:
        lines.append(f"Content-Length: {len(body or b'')}")
    lines.append("Connection: close\r\n\r\n")
    head = "\r\n".join(lines).encode("utf-8", "surrogateescape")
    return head + body if body else head


def _header_line(name: str, value: str) -> str:
    if not _TOKEN.fullmatch(name):
        raise Unsendable(f"header name {name[:64]!r} is not an HTTP token")
    if any(c in value for c in "\r\n\0"):
        raise Unsendable(f"the value of header {name!r} contains a line break or NUL")
    return f"{name}: {value}"


def basic_auth(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


def redirect_method(status: int, method: str) -> str:
    """What a followed redirect asks with; 307 and 308 repeat the request as it was."""
    if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
        return "GET"
    return method


def charset_of(content_type: str | None) -> str | None:
    for param in (content_type or "").split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"').strip("'") or None
    return None


class Decoder:
    """gzip or deflate undone as the body arrives, never more than `room` bytes at once."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._inflate: zlib._Decompress | None = None

    def feed(self, data: bytes, room: int) -> tuple[bytes, bool]:
        """Decoded bytes (at most room) and whether more decoded output was left behind."""
        if self._inflate is None:
            self._inflate = zlib.decompressobj(self._wbits(data))
        try:
            out = self._inflate.decompress(data, room)
        except zlib.error as exc:
            raise BadResponse(f"the {self.encoding} body could not be decoded: {exc}") from None
        return out, bool(self._inflate.unconsumed_tail)

    def _wbits(self, first: bytes) -> int:
        if self.encoding in ("gzip", "x-gzip"):
            return 16 + zlib.MAX_WBITS
        # "deflate" is meant to be zlib-wrapped, but some servers send it raw.
        wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
        return zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS


def decoder_for(content_encoding: str | None) -> Decoder | None:
    encoding = (content_encoding or "").strip().lower()
    if encoding in ("gzip", "x-gzip", "deflate"):
        return Decoder(encoding)
    return None


class Response:
    """One response as llhttp reads it: feed() the bytes, eof() when the peer closes.

    `head_done` turns true once the status and headers are in, `done` once the body
    is whole, capped, or not wanted (HEAD, a redirect not read further).
    """

    def __init__(self, cap: int, *, head_only: bool = False) -> None:
        self.status = 0
        self.headers: dict[str, str] = {}
        self.head_done = False
        self.done = False
        self.truncated = False
        self._cap = cap
        self._head_only = head_only
        # Bytes fed before the head was whole bound a header line that never ends;
        # the headers' own sizes bound a head that arrived whole in one read.
        self._head_bytes = 0
        self._header_bytes = 0
        self._framed = False
        self._chunks: list[bytes] = []
        self._size = 0
        self._decoder: Decoder | None = None
        self._error: BadResponse | None = None
        self._parser = httptools.HttpResponseParser(self)

    @property
    def body(self) -> bytes:
        return b"".join(self._chunks)

    def feed(self, data: bytes) -> None:
        if self.done:
            return
        if not self.head_done:
            self._head_bytes += len(data)
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            raise BadResponse("the server switched protocols (status 101)") from None
        except httptools.HttpParserError as exc:
            raise BadResponse(f"invalid HTTP response: {_parser_reason(exc)}") from None
        if self._error is not None:
            raise self._error
        if not self.head_done and self._head_bytes > MAX_HEAD_BYTES:
            raise _too_large()

    def eof(self) -> None:
        """The peer closed: the end of a body read until close, or an answer cut short."""
        if self.done:
            return
        if not self.head_done:
            raise BadResponse("the server closed the connection without a complete response")
        if self._framed:
            raise BadResponse("the server closed the connection before the body was complete")
        self.done = True

    # llhttp's callbacks, through httptools.

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_bytes += len(name) + len(value) + 4
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        self.headers[key] = f"{self.headers[key]}, {text}" if key in self.headers else text

    def on_headers_complete(self) -> None:
        status = self._parser.get_status_code()
        if 100 <= status < 200:
            # An interim answer (103 Early Hints): the final one follows on the same stream.
            self.headers = {}
            return
        if self._header_bytes > MAX_HEAD_BYTES:
            self._error = _too_large()
            return
        self.status = status
        self.head_done = True
        self._framed = "content-length" in self.headers or "chunked" in self.headers.get(
            "transfer-encoding", ""
        )
        self._decoder = decoder_for(self.headers.get("content-encoding"))
        if self._head_only:
            self.done = True

    def on_body(self, data: bytes) -> None:
        if self.done or self._error is not None:
            return
        room = self._cap + 1 - self._size
        more = False
        if self._decoder is not None:
            try:
                data, more = self._decoder.feed(data, room)
            except BadResponse as exc:
                self._error = exc
                return
        data = data[:room]
        self._chunks.append(data)
        self._size += len(data)
        if self._size > self._cap or more:
            self._cut()

    def on_message_complete(self) -> None:
        if self.head_done:
            self.done = True

    def _cut(self) -> None:
        # One byte past the cap only says that the body went on; it is not kept.
        body = self.body[: self._cap]
        self._chunks, self._size = [body], len(body)
        self.truncated, self.done = True, True


def _too_large() -> BadResponse:
    return BadResponse(f"the response head is larger than {MAX_HEAD_BYTES} bytes")


def _parser_reason(exc: httptools.HttpParserError) -> str:
    text = str(exc) or type(exc).__name__
    return text.removeprefix("HPE_").replace("_", " ").lower()
