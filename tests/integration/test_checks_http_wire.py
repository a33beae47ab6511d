"""The http client against servers that answer byte by byte as written here, on loopback.

Hostile answers (huge or endless heads, a bad status line, a body that never ends)
must end bounded, as an error kind, never as a hang or a traceback. The executor runs
on uvloop, so the core cases run on a uvloop loop of their own as well.
"""

from __future__ import annotations

import asyncio
import gzip
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
import uvloop

from shared.kinds.http import BearerAuth
from shared.probes import Checker, Outcome
from shared.probes.wire import MAX_HEAD_BYTES
from tests.integration.test_checks_http import monitor
from tests.integration.test_checks_http_extras import ca_and_leaf

Writer = asyncio.StreamWriter
Answer = Callable[[bytes, Writer], Awaitable[None]]
TEXT = "caf\xe9 operational"


def reply(status: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return head.encode("latin-1") + b"\r\n" + body


async def send(writer: Writer, data: bytes) -> None:
    writer.write(data)
    await writer.drain()


async def ok(_req: bytes, w: Writer) -> None:
    await send(w, reply("200 OK", {"Content-Length": "2"}, b"ok"))


async def chunked(_req: bytes, w: Writer) -> None:
    await send(w, reply("200 OK", {"Transfer-Encoding": "chunked"}, b"4\r\nall \r\n"))
    await asyncio.sleep(0.02)
    await send(w, b"b\r\noperational\r\n0\r\n\r\n")


async def until_close(_req: bytes, w: Writer) -> None:
    await send(w, b"HTTP/1.0 200 OK\r\n\r\nall ")
    await asyncio.sleep(0.02)
    await send(w, b"operational")


async def gzipped(req: bytes, w: Writer) -> None:
    # Compressed only when asked for, as servers do: the keyword proves it was asked and undone.
    if b"accept-encoding: gzip, deflate" not in req.lower():
        await send(w, reply("200 OK", {"Content-Length": "5"}, b"plain"))
        return
    body = gzip.compress(b"all operational")
    headers = {"Content-Encoding": "gzip", "Content-Length": str(len(body))}
    await send(w, reply("200 OK", headers, body))


async def latin1(_req: bytes, w: Writer) -> None:
    body = TEXT.encode("latin-1")
    headers = {"Content-Type": "text/plain; charset=ISO-8859-1", "Content-Length": str(len(body))}
    await send(w, reply("200 OK", headers, body))


async def head_only(req: bytes, w: Writer) -> None:
    # A HEAD answer names the length of a body it does not send.
    assert req.startswith(b"HEAD ")
    await send(w, reply("200 OK", {"Content-Length": "1000"}))
    await w.wait_closed()


async def cut_short(_req: bytes, w: Writer) -> None:
    await send(w, reply("200 OK", {"Content-Length": "100"}, b"only part"))


async def huge_head(_req: bytes, w: Writer) -> None:
    pad = "p" * 1000
    await send(w, reply("200 OK", {f"X-Pad-{i}": pad for i in range(MAX_HEAD_BYTES // 1000 + 5)}))


async def endless_head(_req: bytes, w: Writer) -> None:
    await send(w, b"HTTP/1.1 200 OK\r\n")
    for i in range(1_000_000):
        await send(w, f"X-More-{i}: {'m' * 200}\r\n".encode())


async def bad_status(_req: bytes, w: Writer) -> None:
    await send(w, b"HTTP/1.1 two hundred OK\r\nContent-Length: 0\r\n\r\n")


async def not_http(_req: bytes, w: Writer) -> None:
    await send(w, b"SSH-2.0-OpenSSH_9.6\r\n")


async def silent_close(_req: bytes, w: Writer) -> None:
    w.close()


async def trickle(_req: bytes, w: Writer) -> None:
    await send(w, reply("200 OK", {"Transfer-Encoding": "chunked"}))
    for _ in range(1000):
        await send(w, b"1\r\nx\r\n")
        await asyncio.sleep(0.02)


async def endless_body(_req: bytes, w: Writer) -> None:
    await send(w, b"HTTP/1.0 200 OK\r\n\r\n")
    while True:
        await send(w, b"x" * 65536)


async def hop_away(req: bytes, w: Writer) -> None:
    # Relative Location, to another origin (the same server by name): Authorization stays home.
    port = w.get_extra_info("sockname")[1]
    to = "/landed" if b"Host: localhost" in req else f"http://localhost:{port}/hop-away"
    await send(w, reply("302 Found", {"Location": to, "Content-Length": "0"}))


async def landed(req: bytes, w: Writer) -> None:
    seen = b"with-auth" if b"authorization:" in req.lower() else b"without-auth"
    await send(w, reply("200 OK", {"Content-Length": str(len(seen))}, seen))


async def to_ftp(_req: bytes, w: Writer) -> None:
    await send(w, reply("301 Moved", {"Location": "ftp://127.0.0.1/file", "Content-Length": "0"}))


async def see_other(req: bytes, w: Writer) -> None:
    if req.startswith(b"POST "):
        await send(w, reply("303 See Other", {"Location": "/see-other", "Content-Length": "0"}))
        return
    method = req.split(b" ", 1)[0]
    await send(w, reply("200 OK", {"Content-Length": str(len(method))}, method))


ANSWERS: dict[str, Answer] = {
    "/ok": ok,
    "/chunked": chunked,
    "/until-close": until_close,
    "/gzip": gzipped,
    "/latin1": latin1,
    "/head": head_only,
    "/cut-short": cut_short,
    "/huge-head": huge_head,
    "/endless-head": endless_head,
    "/bad-status": bad_status,
    "/not-http": not_http,
    "/silent-close": silent_close,
    "/trickle": trickle,
    "/endless-body": endless_body,
    "/hop-away": hop_away,
    "/landed": landed,
    "/to-ftp": to_ftp,
    "/see-other": see_other,
}


async def serve(reader: asyncio.StreamReader, writer: Writer) -> None:
    try:
        request = await reader.readuntil(b"\r\n\r\n")
        path = request.split(b" ", 2)[1].decode()
        await ANSWERS[path](request, writer)
    except (ConnectionError, asyncio.IncompleteReadError):
        pass  # the check hung up first, as it should on a capped or refused answer
    finally:
        writer.close()


def url(port: int, path: str, scheme: str = "http") -> str:
    return f"{scheme}://127.0.0.1:{port}{path}"


@pytest.fixture(scope="module")
async def port() -> AsyncIterator[int]:
    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    async with server:
        yield server.sockets[0].getsockname()[1]


@pytest.fixture(scope="module")
async def checker() -> AsyncIterator[Checker]:
    async with Checker() as shared:
        yield shared


@pytest.mark.parametrize(
    ("path", "keyword"),
    [
        ("/chunked", "all operational"),
        ("/until-close", "all operational"),
        ("/gzip", "all operational"),
        ("/latin1", TEXT),
    ],
)
async def test_bodies_framed_every_way_are_read_whole_and_decoded(port, checker, path, keyword):
    outcome = await checker.run(monitor(url(port, path), keyword=keyword))
    assert (outcome.status, outcome.error) == ("up", None)


async def test_a_head_check_does_not_wait_for_a_body(port, checker):
    outcome = await checker.run(monitor(url(port, "/head"), method="HEAD"))
    assert (outcome.status, outcome.http_status) == ("up", 200)
    assert outcome.latency_ms < 1000


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/cut-short", "the server closed the connection before the body was complete"),
        ("/huge-head", f"the response head is larger than {MAX_HEAD_BYTES} bytes"),
        ("/endless-head", f"the response head is larger than {MAX_HEAD_BYTES} bytes"),
        ("/bad-status", "invalid HTTP response: "),
        ("/not-http", "invalid HTTP response: "),
        ("/silent-close", "the server closed the connection without a complete response"),
    ],
)
async def test_hostile_or_broken_answers_are_connection_errors(port, checker, path, message):
    began = time.monotonic()
    outcome = await checker.run(monitor(url(port, path), timeout_s=5))
    assert time.monotonic() - began < 2
    assert (outcome.status, outcome.error_kind) == ("down", "connection")
    assert outcome.error.startswith(f"connection to 127.0.0.1:{port} failed: {message}")


async def test_a_body_that_trickles_forever_times_out_while_reading_it(port, checker):
    outcome = await checker.run(monitor(url(port, "/trickle"), timeout_s=0.3))
    assert (outcome.status, outcome.error_kind) == ("down", "timeout")
    assert outcome.error == "no response within 0.3 s while reading the body"
    assert outcome.phases.ttfb_ms is not None


async def test_a_body_that_never_ends_is_capped(port, checker):
    outcome = await checker.run(monitor(url(port, "/endless-body"), max_body_bytes=200_000))
    assert outcome.status == "up"


async def test_a_redirect_to_another_origin_leaves_the_credentials_behind(port, checker):
    sent = monitor(url(port, "/hop-away"), auth=BearerAuth(token="tok"), keyword="without-auth")
    outcome = await checker.run(sent)
    assert (outcome.status, outcome.error) == ("up", None)


async def test_a_same_origin_redirect_keeps_them(port, checker):
    start = f"http://localhost:{port}/hop-away"
    outcome = await checker.run(monitor(start, auth=BearerAuth(token="tok"), keyword="with-auth"))
    assert (outcome.status, outcome.error) == ("up", None)


async def test_a_redirect_out_of_http_is_an_invalid_url(port, checker):
    outcome = await checker.run(monitor(url(port, "/to-ftp")))
    assert (outcome.status, outcome.error_kind) == ("down", "connection")
    assert outcome.error == "invalid URL 'ftp://127.0.0.1/file'"


async def test_see_other_turns_a_post_into_a_get(port, checker):
    outcome = await checker.run(monitor(url(port, "/see-other"), method="POST", keyword="GET"))
    assert (outcome.status, outcome.error) == ("up", None)


# -- on uvloop, the executor's event loop ------------------------------------------------


async def bad_request(w: Writer) -> None:
    await send(w, reply("400 Bad Request", {"Content-Length": "0"}))
    w.close()


async def _on_uvloop(tmp: Path) -> dict[str, Outcome]:
    ca_pem, cert_path, key_path, _ = ca_and_leaf(tmp)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    plain = await asyncio.start_server(serve, "127.0.0.1", 0)
    secure = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=context)
    mute = await asyncio.start_server(lambda r, w: r.read(), "127.0.0.1", 0)
    # Answers a TLS hello in plain HTTP, as a plain server does when asked for https.
    blunt = await asyncio.start_server(lambda _r, w: bad_request(w), "127.0.0.1", 0)
    p, s, m, b = (srv.sockets[0].getsockname()[1] for srv in (plain, secure, mute, blunt))
    monitors = {
        "http": monitor(url(p, "/chunked"), keyword="all operational"),
        "https": monitor(f"https://localhost:{s}/gzip", keyword="all operational"),
        "unverified": monitor(url(s, "/ok", "https"), verify_tls=False),
        "untrusted": monitor(url(s, "/ok", "https")),
        "not-tls": monitor(url(b, "/ok", "https")),
        "stalled": monitor(url(m, "/", "https"), timeout_s=0.3),
        "capped": monitor(url(p, "/endless-body"), max_body_bytes=100_000),
        "bad-status": monitor(url(p, "/bad-status")),
    }
    async with plain, secure, mute, blunt:
        trusting = Checker(ssl_context=ssl.create_default_context(cadata=ca_pem))
        async with trusting, Checker() as default:
            outcomes = {}
            for name, m in monitors.items():
                which = default if name == "untrusted" else trusting
                outcomes[name] = await which.run(m)
            return outcomes


async def test_checks_on_uvloop(tmp_path):
    outcomes = await asyncio.to_thread(uvloop.run, _on_uvloop(tmp_path))
    http, https = outcomes["http"], outcomes["https"]
    assert (http.status, http.error) == ("up", None)
    assert http.phases.connect_ms is not None and http.phases.tls_ms is None
    assert (https.status, https.error) == ("up", None)
    assert None not in (https.phases.dns_ms, https.phases.tls_ms, https.phases.ttfb_ms)
    assert https.cert_subject == "CN=localhost, O=upmon test"
    assert outcomes["unverified"].status == "up"
    untrusted = outcomes["untrusted"]
    assert (untrusted.error_kind, untrusted.phases.tls_ms) == ("tls", None)
    assert "certificate verify failed" in untrusted.error
    assert outcomes["not-tls"].error_kind == "tls"
    stalled = outcomes["stalled"]
    assert stalled.error == "no response within 0.3 s during the TLS handshake"
    assert outcomes["capped"].status == "up"
    assert outcomes["bad-status"].error_kind == "connection"
