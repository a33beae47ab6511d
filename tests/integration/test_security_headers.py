"""Security headers, no version disclosure and no credential echoed in errors, on
the real api app and on a service's /metrics listener."""

from __future__ import annotations

import asyncio
import contextlib

import aiohttp
import msgspec
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from services.api.app import build_app
from services.api.state import ApiState
from shared import httpd, metrics
from stack.parts import free_port
from tests.integration.test_status_pages import page

BASE = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Server": "upmon"}


def assert_base(headers, framable: bool = False) -> None:
    for name, value in BASE.items():
        assert headers.get(name) == value, (name, headers.get(name))
    csp = headers["Content-Security-Policy"]
    if not framable:
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Frame-Options"] == "DENY"


async def test_json_problem_html_and_static_answers_carry_the_security_headers(api):
    listed = await api.call("GET", "/api/v1/monitors")
    assert listed.status == 200
    assert_base(listed.headers)
    assert listed.headers["Cache-Control"] == "no-store"

    problem = await api.call("GET", "/api/v1/monitors", key=None)
    assert problem.status == 401
    assert problem.headers["Content-Type"].startswith("application/problem+json")
    assert_base(problem.headers)
    assert problem.headers["Cache-Control"] == "no-store"

    dashboard = await api.call("GET", "/ui/", key=None)
    assert dashboard.status == 200
    assert_base(dashboard.headers)
    # The dashboard's own policy is kept, not replaced by the default one.
    assert "script-src 'self'" in dashboard.headers["Content-Security-Policy"]

    script = await api.call("GET", "/ui/app.js", key=None)
    assert script.status == 200 and "javascript" in script.headers["Content-Type"]
    assert_base(script.headers)

    docs = await api.call("GET", "/docs", key=None)
    assert docs.status == 200
    assert_base(docs.headers)
    assert "style-src 'unsafe-inline'" in docs.headers["Content-Security-Policy"]

    missing = await api.call("GET", "/no/such/page", key=None)
    assert missing.status == 404
    assert_base(missing.headers)


async def test_status_pages_refuse_frames_unless_origins_are_configured(
    api, settings, nc, js, pool, ch
):
    await page(api, "shop", [(await api.monitor())["id"]])
    default = await api.call("GET", "/status/shop", key=None)
    assert default.status == 200
    assert_base(default.headers)
    assert default.headers["Cache-Control"] == "public, max-age=30"

    allowed = "https://intranet.example.com 'self'"
    framed = msgspec.structs.replace(settings, status_frame_ancestors=allowed)
    state = ApiState(settings=framed, pool=pool, nc=nc, js=js, ch=ch)
    async with TestClient(TestServer(build_app(state))) as client:
        for path in ("/status/shop", "/api/v1/status/shop"):
            async with client.get(path) as resp:
                assert resp.status == 200
                assert_base(resp.headers, framable=True)
                assert f"frame-ancestors {allowed}" in resp.headers["Content-Security-Policy"]
                assert "X-Frame-Options" not in resp.headers
        # Only status pages may be framed; the dashboard still refuses.
        async with client.get("/ui/") as resp:
            assert_base(resp.headers)


async def test_metrics_name_no_python_version_and_server_header_no_versions(api):
    from_api = await api.call("GET", "/metrics", key=None)
    assert from_api.status == 200
    assert "python_info" not in from_api.body and "upmon_up" in from_api.body
    assert from_api.headers["Server"] == "upmon"

    port = free_port()
    runner = await metrics.serve("127.0.0.1", port)
    try:
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{port}/metrics") as resp,
        ):
            body = await resp.text()
            assert resp.status == 200
            assert resp.headers["Server"] == "upmon"
            assert "python_info" not in body and "upmon_messages_total" in body
    finally:
        await runner.cleanup()


@contextlib.asynccontextmanager
async def served(app: web.Application):
    """The app behind the same runner `upmon api` uses, on a real port."""
    runner = httpd.Runner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield port
    finally:
        await runner.cleanup()


async def raw_request(port: int, header_lines: list[bytes]) -> tuple[int, dict, bytes]:
    """Send bytes no HTTP client library would; the status, headers and body back."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = b"GET /api/v1/monitors HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    writer.write(head + b"".join(line + b"\r\n" for line in header_lines) + b"\r\n")
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


@pytest.mark.parametrize(
    "token",
    [
        b"upk_" + b"s3cr3t" * 2000,  # past aiohttp's 8190-byte header limit
        b"upk_s3cr3t\x01zq9end",
        b"upk_s3cr3t\x7fzq9end",
        b"upk_s3cr3t\xc3\xa9zq9end",
    ],
    ids=["oversized", "control-char", "delete-char", "non-ascii"],
)
async def test_bad_bearer_tokens_get_problems_that_never_repeat_them(api, token):
    app = api.client.server.app
    async with served(app) as port:
        status, headers, body = await raw_request(
            port, [b"Authorization: Bearer " + token, b"Connection: close"]
        )
    assert status in (400, 401)
    assert headers["Content-Type"].startswith("application/problem+json")
    assert headers["Server"] == "upmon"
    assert headers["X-Content-Type-Options"] == "nosniff"
    problem = msgspec.json.decode(body)
    assert problem["status"] == status
    assert b"s3cr3t" not in body and b"zq9end" not in body


async def test_crlf_smuggled_into_a_bearer_token_is_refused_unrepeated(api):
    app = api.client.server.app
    async with served(app) as port:
        status, headers, body = await raw_request(
            port, [b"Authorization: Bearer upk_s3cr3t\rX-Injected: zq9end", b"Connection: close"]
        )
    assert status == 400
    assert headers["Content-Type"].startswith("application/problem+json")
    assert b"s3cr3t" not in body and b"Injected" not in body


async def test_webhook_url_query_tokens_and_passwords_are_masked_on_reads(api):
    config = {"url": "https://bob:hunter2@hooks.example.com/in?token=t0ps3cret&v=2"}
    body = {"name": "ops hook", "kind": "webhook", "config": config}
    created = await api.call("POST", "/api/v1/channels", body)
    assert created.status == 201, created.body
    read = await api.call("GET", f"/api/v1/channels/{created.body['id']}")
    shown = read.body["config"]["url"]
    assert shown == "https://bob:********@hooks.example.com/in?token=********&v=2"
    assert "t0ps3cret" not in str(created.body) + str(read.body)
    assert "hunter2" not in str(created.body) + str(read.body)
