"""The grpc and postgres kinds in the dashboard's monitor form (headless Chromium, whole
stack): their option fields and defaults come from the kind registry, a rule's message
lands next to its field, the Postgres password is masked when the form is opened again
and kept when saved unchanged, and the checks run against a real grpc health server and
the session's Postgres."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1.health import aio as health_aio
from playwright.async_api import Page, expect

from shared.sealing import MASK
from tests.browser.test_dashboard import SLOW, console_errors
from tests.browser.test_operator_pages import sign_in
from tests.integration.servers.certs import TestCA
from tests.integration.servers.postgres import Role, password_role, tls_front

pytestmark = pytest.mark.e2e


async def shows(page: Page, selector: str, text: str) -> None:
    """Reloads until `selector` shows `text`: checks run every second, the page itself
    refreshes every five, and this test is about the form."""
    deadline = time.monotonic() + SLOW / 1000
    while text not in " ".join(await page.locator(selector).all_text_contents()):
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


async def test_grpc_and_postgres_monitors_made_and_edited_in_the_form(
    stack, admin, infra, page: Page, tmp_path: Path
):
    errors = console_errors(page)
    await sign_in(page, stack.api_url, *admin)
    health = health_aio.HealthServicer()
    await health.set("orders.v1.Orders", health_pb2.HealthCheckResponse.NOT_SERVING)
    server = grpc.aio.server()
    health_pb2_grpc.add_HealthServicer_to_server(health, server)
    grpc_port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    # A TLS front on its own port: upmon refuses monitors on its own Postgres port.
    front = TestCA().issue(("localhost",)).server_context(tmp_path)
    try:
        async with (
            password_role(infra.pg_admin_dsn()) as role,
            tls_front((role.host, role.port), front) as (pg_port, _sessions),
        ):
            await _postgres_in_the_form(page, role, pg_port)
        await _grpc_in_the_form(page, grpc_port)
    finally:
        await server.stop(0)
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
    await page.get_by_role("button", name="Create monitor").click()
    await expect(page).to_have_url(re.compile(r"#/monitors/[0-9a-f-]{36}$"))
    await shows(page, "h1 .badge", "up")

    # Opened again the password shows masked; saved unchanged it is kept: the database
    # the server lacks is what the check now reports, not a refused login.
    await page.get_by_role("link", name="Edit").click()
    await expect(block.get_by_label("Password")).to_have_value(MASK)
    await block.get_by_label("Database").fill("no_such_db")
    await page.get_by_role("button", name="Save changes").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("orders db")
    await shows(page, "table.results tbody tr", 'database "no_such_db" does not exist')


async def _grpc_in_the_form(page: Page, port: int) -> None:
    await new_monitor(page, "orders rpc", "gRPC health", f"127.0.0.1:{port}")
    block = page.locator('fieldset[data-kind="grpc"]')
    await expect(block.get_by_label("TLS", exact=True)).not_to_be_checked()
    await block.get_by_label("Service").fill("orders.v1.Orders")
    await page.get_by_role("button", name="Create monitor").click()
    await expect(page).to_have_url(re.compile(r"#/monitors/[0-9a-f-]{36}$"))
    await shows(page, "table.results tbody tr", "is NOT_SERVING, not SERVING")

    # An empty service asks about the server as a whole, which serves.
    await page.get_by_role("link", name="Edit").click()
    await expect(block.get_by_label("Service")).to_have_value("orders.v1.Orders")
    await block.get_by_label("Service").fill("")
    await page.get_by_role("button", name="Save changes").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("orders rpc")
    await shows(page, "h1 .badge", "up")
