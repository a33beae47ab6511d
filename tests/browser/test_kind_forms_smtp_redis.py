"""The smtp and redis kinds in the dashboard's monitor form (headless Chromium, whole
stack): their option fields come from the kind registry, a rule's message lands next
to its field, the redis password is masked when the form is opened again and kept
when saved unchanged, and the checks run against a real aiosmtpd and redis-server."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from playwright.async_api import Page, expect

from shared.sealing import MASK
from stack.parts import free_port
from tests.browser.test_dashboard import SLOW, console_errors
from tests.browser.test_operator_pages import sign_in
from tests.integration.servers.certs import TestCA
from tests.integration.servers.redis_server import PROBE_PASSWORD, PROBE_USER, redis_servers

pytestmark = pytest.mark.e2e


class _Accepting:
    async def handle_DATA(self, _server, _session, _envelope):
        return "250 OK"


async def shows(page: Page, selector: str, text: str) -> None:
    """Reloads the page until `selector` shows `text`: the check runs every second, yet
    the page itself refreshes only every five, and this test is about the form."""
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
    await page.get_by_role("button", name="Create monitor").click()
    await expect(page).to_have_url(re.compile(r"#/monitors/[0-9a-f-]{36}$"))
    await shows(page, "h1 .badge", "up")

    # Opened again the password shows masked; saved unchanged it is kept: the database
    # the server lacks is what the check now reports, not a refused password.
    await page.get_by_role("link", name="Edit").click()
    await expect(block.get_by_label("Password")).to_have_value(MASK)
    await block.get_by_label("Database").fill("99")
    await page.get_by_role("button", name="Save changes").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("session cache")
    await shows(page, "table.results tbody tr", "SELECT answered -ERR DB index is out of range")


async def _smtp_in_the_form(page: Page, port: int) -> None:
    await new_monitor(page, "mail relay", "SMTP", f"127.0.0.1:{port}")
    block = page.locator('fieldset[data-kind="smtp"]')
    await block.get_by_label("TLS").select_option("starttls")
    await page.get_by_role("button", name="Create monitor").click()
    await expect(page).to_have_url(re.compile(r"#/monitors/[0-9a-f-]{36}$"))
    await shows(page, "table.results tbody tr", "the server does not offer STARTTLS")
    await page.get_by_role("link", name="Edit").click()
    await expect(block.get_by_label("TLS")).to_have_value("starttls")
    await block.get_by_label("TLS").select_option("none")
    await page.get_by_role("button", name="Save changes").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("mail relay")
    await shows(page, "h1 .badge", "up")
