"""What every upmon HTTP listener (the api, each service's /metrics) shares: a
`Server` header that names no versions, and errors of aiohttp's own parser
answered as problem+json that never repeat the request.

aiohttp answers a request it cannot parse (a header over 8 KiB, CR/LF or NUL in a
header, a malformed request line) before any application code runs, with a text
body quoting the offending bytes: an oversized `Authorization` header came back
in the 400. `Runner` replaces that answer and keeps those bytes out of the logs."""

from __future__ import annotations

import json
from http import HTTPStatus

from aiohttp import web
from aiohttp.web_protocol import RequestHandler
from aiohttp.web_server import Server

from shared import logs

SERVER = "upmon"
# Sent on answers no application code saw; the api adds the same and more to its own.
BASE_HEADERS = {
    "Server": SERVER,
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
_log = logs.get("http")


def problem_body(status: int) -> bytes:
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    detail = (
        "the request could not be read: a malformed or oversized request line or header"
        if 400 <= status < 500
        else "the server failed to handle this request; the error is in its logs"
    )
    slug = phrase.lower().replace(" ", "-")
    doc = {"type": f"urn:upmon:problem:{slug}", "title": phrase, "status": status}
    return json.dumps({**doc, "detail": detail, "errors": []}).encode()


class _Handler(RequestHandler):
    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        # The parser's message and the exception quote the request's bytes: log neither.
        # Unparsable requests are what scanners send all day: not worth a warning.
        emit = _log.error if status >= 500 else _log.info
        emit("http_error", status=status, kind=type(exc).__name__, peer=request.remote)
        if request.writer.output_size > 0:
            raise ConnectionError("the response has started; no error can follow it")
        resp = web.Response(
            status=status,
            body=problem_body(status),
            content_type="application/problem+json",
            headers=BASE_HEADERS,
        )
        resp.force_close()
        return resp


class _Server(Server):
    def __call__(self) -> RequestHandler:
        return _Handler(self, loop=self._loop, **self._kwargs)


class Runner(web.AppRunner):
    """An AppRunner whose connections answer parse errors as problems."""

    async def _make_server(self) -> Server:
        server = await super()._make_server()
        # aiohttp builds its Server inside Application; only the handler class differs.
        server.__class__ = _Server
        return server


async def _name_server(_: web.Request, response: web.StreamResponse) -> None:
    # aiohttp fills in `Python/3.x aiohttp/3.y` only where no Server header is set.
    response.headers["Server"] = SERVER


def hide_versions(app: web.Application) -> None:
    app.on_response_prepare.append(_name_server)
