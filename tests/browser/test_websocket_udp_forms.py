"""The websocket and udp kinds in the dashboard's monitor form, in headless Chromium
against the whole stack: the form drawn from the kind registry shows their options,
the API's message about a bad target lands next to the field, and monitors made with
the form go up against local servers."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import WSMsgType, web
from playwright.async_api import Page, expect

from tests.browser.conftest import ADMIN_PASSWORD

pytestmark = pytest.mark.e2e

# Checks every second, pages refresh every 5 s.
SLOW = 25_000


async def echo(request: web.Request) -> web.WebSocketResponse:
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    async for message in ws:
        if message.type == WSMsgType.TEXT:
            await ws.send_str(f"echo: {message.data}")
    return ws


class Pong(asyncio.DatagramProtocol):
    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.transport.sendto(b"PONG " + data, addr)


@pytest.fixture
async def ports() -> AsyncIterator[tuple[int, int]]:
    """A WebSocket echo server and a UDP one on loopback: (ws port, udp port)."""
    app = web.Application()
    app.router.add_get("/echo", echo)
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    udp, _ = await asyncio.get_running_loop().create_datagram_endpoint(
        Pong, local_addr=("127.0.0.1", 0)
    )
    yield site._server.sockets[0].getsockname()[1], udp.get_extra_info("sockname")[1]  # type: ignore[union-attr]
    udp.close()
    await runner.cleanup()


async def new_monitor(page: Page, kind: str, name: str) -> None:
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Monitors").click()
    await page.get_by_role("link", name="New monitor").click()
    await page.get_by_label("Name", exact=True).fill(name)
    await page.get_by_label("Kind").select_option(kind)
    await page.get_by_label("Check every (s)").fill("1")
    await page.get_by_label("Timeout (s)").fill("0.8")


async def created_and_up(page: Page) -> None:
    await page.get_by_role("button", name="Create monitor").click()
    await expect(page).to_have_url(re.compile(r"#/monitors/[0-9a-f-]{36}$"))
    heading = page.get_by_role("heading", level=1)
    await expect(heading.locator(".badge")).to_have_text("up", timeout=SLOW)


async def test_websocket_and_udp_monitors_made_with_the_form_go_up(stack, admin, ports, page):
    ws_port, udp_port = ports
    email, _ = admin
    await page.goto(f"{stack.api_url}/")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(ADMIN_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Monitors")).to_be_visible()

    await new_monitor(page, "websocket", "prices socket")
    options = page.locator('fieldset[data-kind="websocket"]')
    await expect(options).to_be_visible()
    await page.get_by_label("Target", exact=True).fill(f"http://127.0.0.1:{ws_port}/echo")
    await options.get_by_label("Message to send (optional)").fill("hi")
    await options.get_by_label("Expected text in a message (optional)").fill("echo: hi")
    await page.get_by_role("button", name="Create monitor").click()
    await expect(page.locator('[data-field="target"] .field-error')).to_have_text(
        "must be a ws:// or wss:// URL"
    )
    await page.get_by_label("Target", exact=True).fill(f"ws://127.0.0.1:{ws_port}/echo")
    await created_and_up(page)

    await new_monitor(page, "udp", "pong datagram")
    options = page.locator('fieldset[data-kind="udp"]')
    await page.get_by_label("Target", exact=True).fill(f"127.0.0.1:{udp_port}")
    await options.get_by_label("Written as").select_option("hex")
    await options.get_by_label("Datagram to send").fill("50 49 4e 47")
    await options.get_by_label("Expected bytes in the reply (optional)").fill("504f4e47")
    await created_and_up(page)
