"""The server kinds in the dashboard's monitor form (headless Chromium, whole stack):
their option fields and defaults come from the kind registry, a rule's message (or the
API's message about a bad target) lands next to its field, a password is masked when the
form is opened again and kept when saved unchanged, and the checks run against real
local servers: a grpc health server, the session's Postgres, aiosmtpd, redis-server, a
WebSocket echo server and a UDP one.

The tests share one stack and one admin: each opens its own page and reads only the
monitors it made, and starting a stack costs more than most of these tests."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from playwright.async_api import Locator, Page, expect

from shared.sealing import MASK
from stack.parts import free_port
from tests.browser.conftest import create_admin
from tests.browser.test_dashboard import SLOW, console_errors
from tests.browser.test_operator_pages import sign_in
from tests.harness import Stack, stack_on_own_parts
from tests.integration.servers.certs import TestCA
from tests.integration.servers.echo import echo_servers
from tests.integration.servers.grpc_health import Status, health_server
from tests.integration.servers.postgres import Role, password_role, tls_front
from tests.integration.servers.redis_server import PROBE_PASSWORD, PROBE_USER, redis_servers

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
async def stack(infra, pg_template, tmp_path_factory) -> AsyncIterator[Stack]:
    async with stack_on_own_parts(infra, pg_template, tmp_path_factory.mktemp("stack")) as st:
        yield st


@pytest.fixture(scope="module")
async def admin(stack: Stack) -> tuple[str, str]:
    """An admin user on the shared stack's Postgres: (email, password)."""
    return await create_admin(stack)


async def shows(page: Page, selector: str, text: str) -> None:
    """Reloads until the first `selector` shows `text`: checks run every second, the page
    itself refreshes only every five, and these tests are about the form."""
    deadline = time.monotonic() + SLOW / 1000
    while text not in (await page.locator(selector).all_text_contents() or [""])[0]:
        assert time.monotonic() < deadline, f"{selector} never showed {text!r}"
        await asyncio.sleep(0.3)
        await page.reload()
        await page.locator("h1").wait_for()


async def new_monitor(page: Page, name: str, kind: str, target: str) -> None:
    await page.goto(page.url.split("#")[0] + "#/monitors/new")
    await page.get_by_label("Name", exact=True).fill(name)
    await page.get_by_label("Kind").select_option(label=kind)
    await page.get_by_label("Target", exact=True).fill(target)
    await page.get_by_label("Check every (s)").fill("1")
    await page.get_by_label("Timeout (s)").fill("0.8")
    await page.get_by_label("Failures before down").fill("1")


# -- grpc and postgres ------------------------------------------------------------------


async def test_grpc_and_postgres_monitors_made_and_edited_in_the_form(
    stack, admin, infra, page: Page, tmp_path: Path
):
    errors = console_errors(page)
    await sign_in(page, stack.api_url, *admin)
    # A TLS front on its own port: upmon refuses monitors on its own Postgres port.
    front = TestCA().issue(("localhost",)).server_context(tmp_path)
    async with health_server("orders.v1.Orders", Status.NOT_SERVING) as grpc_port:
        async with (
            password_role(infra.pg_admin_dsn()) as role,
            tls_front((role.host, role.port), front) as (pg_port, _sessions),
        ):
            await _postgres_in_the_form(page, role, pg_port)
        await _grpc_in_the_form(page, grpc_port)
    assert not errors, f"errors in the browser console: {errors}"


async def _postgres_in_the_form(page: Page, role: Role, port: int) -> None:
    await new_monitor(page, "orders db", "PostgreSQL", f"127.0.0.1:{port}")
    block = page.locator('fieldset[data-kind="postgres"]')
    await expect(block.get_by_label("User")).to_have_value("postgres")
    await expect(block.get_by_label("Database")).to_have_value("postgres")
    await expect(block.get_by_label("TLS (sslmode)")).to_have_value("prefer")
    # A rule of the kind, not of its types: its message lands next to the field.
    await block.get_by_label("User").fill("é" * 32)
    await page.get_by_role("button", name="Create monitor").click()
    await expect(page.locator('[data-field="postgres.user"] .field-error')).to_have_text(
        "must be at most 63 bytes in UTF-8"
    )
    await block.get_by_label("User").fill(role.user)
    await block.get_by_label("Password").fill(role.password)
    await block.get_by_label("TLS (sslmode)").select_option("require")
    await created_and_up(page)

    await edited_keeps_the_password(
        page, block, "no_such_db", "orders db", 'database "no_such_db" does not exist'
    )


async def _grpc_in_the_form(page: Page, port: int) -> None:
    await new_monitor(page, "orders rpc", "gRPC health", f"127.0.0.1:{port}")
    block = page.locator('fieldset[data-kind="grpc"]')
    await expect(block.get_by_label("TLS", exact=True)).not_to_be_checked()
    await block.get_by_label("Service").fill("orders.v1.Orders")
    await created_reporting(page, "is NOT_SERVING, not SERVING")

    # An empty service asks about the server as a whole, which serves.
    await page.get_by_role("link", name="Edit").click()
    await expect(block.get_by_label("Service")).to_have_value("orders.v1.Orders")
    await block.get_by_label("Service").fill("")
    await saved_and_up(page, "orders rpc")


# -- smtp and redis ---------------------------------------------------------------------


class _Accepting:
    async def handle_DATA(self, _server, _session, _envelope):
        return "250 OK"


async def test_smtp_and_redis_monitors_made_and_edited_in_the_form(
    stack, admin, page: Page, tmp_path: Path
):
    errors = console_errors(page)
    await sign_in(page, stack.api_url, *admin)
    mail = Controller(_Accepting(), hostname="127.0.0.1", port=free_port())
    mail.start()
    try:
        with redis_servers(tmp_path, TestCA()) as redis:
            await _redis_in_the_form(page, redis.port)
            await _smtp_in_the_form(page, mail.port)
    finally:
        mail.stop()
    assert not errors, f"errors in the browser console: {errors}"


async def _redis_in_the_form(page: Page, port: int) -> None:
    await new_monitor(page, "session cache", "Redis", f"localhost:{port}")
    block = page.locator('fieldset[data-kind="redis"]')
    await expect(block.get_by_label("Database")).to_have_value("0")
    await expect(block.get_by_label("Verify the certificate")).to_be_checked()
    # A rule of the kind, not of its types: its message lands next to the field.
    await block.get_by_label("Username").fill(PROBE_USER)
    await page.get_by_role("button", name="Create monitor").click()
    await expect(page.locator('[data-field="redis.username"] .field-error')).to_have_text(
        "needs a password (redis.password)"
    )
    await block.get_by_label("Password").fill(PROBE_PASSWORD)
    await created_and_up(page)

    await edited_keeps_the_password(
        page, block, "99", "session cache", "SELECT answered -ERR DB index is out of range"
    )


async def _smtp_in_the_form(page: Page, port: int) -> None:
    await new_monitor(page, "mail relay", "SMTP", f"127.0.0.1:{port}")
    block = page.locator('fieldset[data-kind="smtp"]')
    await block.get_by_label("TLS").select_option("starttls")
    await created_reporting(page, "the server does not offer STARTTLS")
    await page.get_by_role("link", name="Edit").click()
    await expect(block.get_by_label("TLS")).to_have_value("starttls")
    await block.get_by_label("TLS").select_option("none")
    await saved_and_up(page, "mail relay")


# -- websocket and udp ------------------------------------------------------------------


@pytest.fixture
async def ports() -> AsyncIterator[tuple[int, int]]:
    """A WebSocket echo server and a UDP one on loopback: (ws port, udp port)."""
    async with echo_servers() as servers:
        yield servers.ws_port, servers.udp_port


async def new_monitor_from_the_list(page: Page, kind: str, name: str) -> None:
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Monitors").click()
    await page.get_by_role("link", name="New monitor").click()
    await page.get_by_label("Name", exact=True).fill(name)
    await page.get_by_label("Kind").select_option(kind)
    await page.get_by_label("Check every (s)").fill("1")
    await page.get_by_label("Timeout (s)").fill("0.8")


async def created_and_up(page: Page) -> None:
    await page.get_by_role("button", name="Create monitor").click()
    await expect(page).to_have_url(re.compile(r"#/monitors/[0-9a-f-]{36}$"))
    await shows(page, "h1 .badge", "up")


async def created_reporting(page: Page, reported: str) -> None:
    await page.get_by_role("button", name="Create monitor").click()
    await expect(page).to_have_url(re.compile(r"#/monitors/[0-9a-f-]{36}$"))
    await shows(page, "table.results tbody tr", reported)


async def saved_and_up(page: Page, name: str) -> None:
    await page.get_by_role("button", name="Save changes").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    await shows(page, "h1 .badge", "up")


async def edited_keeps_the_password(
    page: Page, block: Locator, database: str, name: str, reported: str
) -> None:
    """Opened again the password shows masked; saved unchanged it is kept: the database
    the server lacks is what the check then reports, not a refused login."""
    await page.get_by_role("link", name="Edit").click()
    await expect(block.get_by_label("Password")).to_have_value(MASK)
    await block.get_by_label("Database").fill(database)
    await page.get_by_role("button", name="Save changes").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    await shows(page, "table.results tbody tr", reported)


async def test_websocket_and_udp_monitors_made_with_the_form_go_up(stack, admin, ports, page):
    ws_port, udp_port = ports
    await sign_in(page, stack.api_url, *admin)

    await new_monitor_from_the_list(page, "websocket", "prices socket")
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

    await new_monitor_from_the_list(page, "udp", "pong datagram")
    options = page.locator('fieldset[data-kind="udp"]')
    await page.get_by_label("Target", exact=True).fill(f"127.0.0.1:{udp_port}")
    await options.get_by_label("Written as").select_option("hex")
    await options.get_by_label("Datagram to send").fill("50 49 4e 47")
    await options.get_by_label("Expected bytes in the reply (optional)").fill("504f4e47")
    await created_and_up(page)
