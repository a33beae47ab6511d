"""The web dashboard in headless Chromium, against the whole stack: sign in, create
a monitor through the form (seeing the API's field message first), watch it go up
and down, handle its incident, edit and pause it, add a channel, and open a
public status page. Each page is saved as a PNG in test-artifacts/."""

from __future__ import annotations

import re
from pathlib import Path

import aiohttp
import pytest
from playwright.async_api import ConsoleMessage, Page, expect

from tests.browser.conftest import ADMIN_PASSWORD

pytestmark = pytest.mark.e2e

# Waits for what the stack does on its own: checks every second, pages refresh every 5 s.
SLOW = 25_000


class Shots:
    def __init__(self, page: Page, folder: Path) -> None:
        self.page = page
        self.folder = folder
        self.count = 0

    async def take(self, name: str) -> None:
        self.count += 1
        path = self.folder / f"dashboard-{self.count:02d}-{name}.png"
        await self.page.screenshot(path=path, full_page=True)


def console_errors(page: Page) -> list[str]:
    """Script and CSP errors; failed API calls (401, 422) are expected and shown in the page."""
    found: list[str] = []

    def seen(msg: ConsoleMessage) -> None:
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            found.append(msg.text)

    page.on("console", seen)
    return found


async def test_dashboard_monitor_lifecycle_in_a_real_browser(
    stack, admin, target, page: Page, artifacts: Path
):
    email, _ = admin
    errors = console_errors(page)
    shots = Shots(page, artifacts)
    base = stack.api_url

    # Signing in: / leads to the dashboard, which asks for credentials first.
    await page.goto(f"{base}/")
    await expect(page).to_have_url(re.compile(r"/ui/#/login"))
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill("not the password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_contain_text("the email or the password is wrong")
    await shots.take("login")
    await page.get_by_label("Password").fill(ADMIN_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Monitors")).to_be_visible()
    await expect(page.get_by_text("No monitors yet.")).to_be_visible()

    # Creating a monitor: a bad target gets the API's message next to the field.
    await page.get_by_role("link", name="New monitor").click()
    await page.get_by_label("Name", exact=True).fill("local target")
    await page.get_by_label("Target", exact=True).fill("not a url")
    await page.get_by_label("Check every (s)").fill("1")
    await page.get_by_label("Timeout (s)").fill("0.8")
    await page.get_by_label("Failures before down").fill("1")
    await page.get_by_role("button", name="Create monitor").click()
    target_input = page.get_by_label("Target", exact=True)
    await expect(page.locator('[data-field="target"] .field-error')).to_have_text(
        "must be an http:// or https:// URL"
    )
    await expect(target_input).to_have_attribute("aria-invalid", "true")
    await shots.take("monitor-form-error")
    await target_input.fill(target.url)
    await page.get_by_role("button", name="Create monitor").click()
    await expect(page).to_have_url(re.compile(r"#/monitors/[0-9a-f-]{36}$"))
    monitor_id = page.url.rsplit("/", 1)[1]

    # The list shows it up, with its 24-hour uptime.
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Monitors").click()
    row = page.locator(f'tr[data-monitor-id="{monitor_id}"]')
    await expect(row.locator(".badge")).to_have_text("up", timeout=SLOW)
    await expect(row.locator(".uptime")).to_contain_text("100%", timeout=SLOW)
    await expect(
        row.get_by_role("img", name=re.compile("uptime over the last 24 hours"))
    ).to_be_visible()
    await shots.take("monitors")

    # The target breaks: the monitor goes down and an incident opens.
    target.healthy = False
    await expect(row.locator(".badge")).to_have_text("down", timeout=SLOW)
    await row.get_by_role("link", name="local target").click()
    await expect(page.get_by_role("heading", name=re.compile("local target"))).to_be_visible()
    await expect(page.locator(".latency-chart")).to_be_visible()
    await expect(page.locator(".legend")).to_contain_text("Time to first byte")
    await expect(page.locator("table.results tbody tr").first).to_be_visible()
    incident_row = page.locator("table.incidents tbody tr").first
    await expect(incident_row.locator(".badge")).to_have_text("open", timeout=SLOW)
    await expect(page.locator("table.results")).to_contain_text("503")
    await shots.take("monitor-detail")

    # Incidents: acknowledge, then resolve by hand.
    await page.get_by_role("link", name="Incidents").click()
    incident = page.locator("table.incidents tbody tr").filter(has_text="local target").first
    await expect(incident.locator(".badge")).to_have_text("open")
    incident_id = await incident.get_attribute("data-incident-id")
    incident = page.locator(f'tr[data-incident-id="{incident_id}"]')
    await incident.get_by_role("button", name="Acknowledge").click()
    await expect(incident.locator(".badge")).to_have_text("acknowledged")
    await expect(incident).to_contain_text("acknowledged by user:")
    await shots.take("incidents")
    await incident.get_by_role("button", name="Resolve").click()
    await expect(incident.locator(".badge")).to_have_text("resolved")
    target.healthy = True

    # Edit, then pause.
    await incident.get_by_role("link", name="local target").click()
    await page.get_by_role("link", name="Edit").click()
    await expect(page.get_by_label("Kind")).to_be_disabled()
    await page.get_by_label("Name", exact=True).fill("local target (edited)")
    await page.get_by_role("button", name="Save changes").click()
    heading = page.get_by_role("heading", level=1)
    await expect(heading).to_contain_text("local target (edited)")
    # The monitor's own page refreshes itself: the target breaking shows without a reload.
    status = heading.locator(".badge")
    await expect(status).to_have_text("up", timeout=SLOW)
    target.healthy = False
    await expect(status).to_have_text("down", timeout=SLOW)
    await expect(page.locator("table.results tbody tr").first).to_contain_text("503")
    target.healthy = True
    await expect(status).to_have_text("up", timeout=SLOW)
    await page.get_by_role("button", name="Pause").click()
    await expect(heading.locator(".badge")).to_have_text("paused")
    await expect(page.get_by_role("button", name="Resume")).to_be_visible()
    await shots.take("monitor-paused")

    # A webhook channel: a bad URL first, then a good one.
    await page.get_by_role("link", name="Channels").click()
    await page.get_by_label("Name", exact=True).fill("ops hook")
    await page.get_by_label("URL", exact=True).fill("ftp://example.invalid/hook")
    await page.get_by_role("button", name="Add channel").click()
    await expect(page.locator('[data-field="config.url"] .field-error')).to_contain_text(
        "must be an http:// or https:// URL"
    )
    await page.get_by_label("URL", exact=True).fill("http://127.0.0.1:9/hook")
    await page.get_by_role("button", name="Add channel").click()
    channels = page.locator("table.channels")
    await expect(channels).to_contain_text("ops hook")
    await expect(channels).to_contain_text("webhook")
    await shots.take("channels")

    # A status page made through the API, linked from the dashboard and readable by anyone.
    token = await page.evaluate("sessionStorage.getItem('upmon.token')")
    body = {"slug": "public", "title": "Public status", "monitor_ids": [monitor_id]}
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        aiohttp.ClientSession(base_url=base, headers=headers) as http,
        http.post("/api/v1/status-pages", json=body) as resp,
    ):
        assert resp.status == 201, await resp.text()
    await page.get_by_role("link", name="Status pages").click()
    link = page.get_by_role("link", name="/status/public")
    await expect(link).to_be_visible()
    await page.get_by_label("Title").fill("Another")
    await page.get_by_label("Slug").fill("Not A Slug")
    await page.get_by_role("button", name="Create status page").click()
    await expect(page.locator('[data-field="slug"] .field-error')).to_contain_text("regex")
    await shots.take("status-pages")
    await link.click()
    await expect(page).to_have_url(f"{base}/status/public")
    await expect(page.get_by_role("heading", name="Public status")).to_be_visible()
    await expect(page.get_by_text("local target (edited)")).to_be_visible()
    await shots.take("public-status-page")

    # Signing out forgets the token.
    await page.go_back()
    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("heading", name="Sign in to upmon")).to_be_visible()
    assert await page.evaluate("sessionStorage.getItem('upmon.token')") is None

    assert not errors, f"errors in the browser console: {errors}"


async def test_forms_offer_every_registry_kind_and_store_a_tcp_monitor_and_a_matrix_channel(
    stack, admin, page: Page
):
    email, password = admin
    base = stack.api_url
    await page.goto(f"{base}/ui/#/login")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Monitors")).to_be_visible()
    token = await page.evaluate("sessionStorage.getItem('upmon.token')")
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        aiohttp.ClientSession(base_url=base, headers=headers) as http,
        http.get("/api/v1/monitor-kinds") as resp,
    ):
        kinds = [k["kind"] for k in (await resp.json())["items"]]

    await page.goto(f"{base}/ui/#/monitors/new")
    kind = page.get_by_label("Kind")
    await expect(kind.locator("option")).to_have_count(len(kinds))
    offered = await kind.locator("option").evaluate_all("(os) => os.map((o) => o.value)")
    assert offered == kinds
    other = "udp" if "udp" in kinds else "http"
    await kind.select_option(other)
    await expect(page.locator(f'fieldset[data-kind="{other}"]')).to_be_visible()
    await expect(page.locator('fieldset[data-kind="tcp"]')).to_be_hidden()
    await kind.select_option("tcp")
    await expect(page.locator('fieldset[data-kind="tcp"]')).to_be_visible()
    await expect(page.locator(f'fieldset[data-kind="{other}"]')).to_be_hidden()

    await page.get_by_label("Name", exact=True).fill("tcp with a greeting")
    await page.get_by_label("Target", exact=True).fill("127.0.0.1:9")
    await page.get_by_label("Send", exact=True).fill("PING")
    await page.get_by_label("Expect", exact=True).fill("PONG")
    await page.get_by_role("button", name="Create monitor").click()
    await expect(page).to_have_url(re.compile(r"#/monitors/[0-9a-f-]{36}$"))
    monitor_id = page.url.rsplit("/", 1)[1]
    async with (
        aiohttp.ClientSession(base_url=base, headers=headers) as http,
        http.get(f"/api/v1/monitors/{monitor_id}") as resp,
    ):
        stored = await resp.json()
    assert (stored["kind"], stored["tcp"]["send"], stored["tcp"]["expect"]) == (
        "tcp",
        "PING",
        "PONG",
    )

    # A channel kind added through the registry (Matrix), made from the channel form.
    await page.get_by_role("link", name="Channels").click()
    await page.get_by_label("Kind", exact=True).select_option("matrix")
    await page.get_by_label("Name", exact=True).fill("ops room")
    await page.get_by_label("Homeserver URL", exact=True).fill("http://127.0.0.1:9")
    await page.get_by_label("Access token", exact=True).fill("syt_from_the_form")
    await page.get_by_label("Room id or alias", exact=True).fill("!ops:example.org")
    await page.get_by_role("button", name="Add channel").click()
    await expect(page.locator("table.channels")).to_contain_text("ops room")
    async with (
        aiohttp.ClientSession(base_url=base, headers=headers) as http,
        http.get("/api/v1/channels") as resp,
    ):
        made = next(c for c in (await resp.json())["items"] if c["name"] == "ops room")
    assert made["kind"] == "matrix" and made["config"]["room_id"] == "!ops:example.org"
    assert made["config"]["access_token"] != "syt_from_the_form"  # write-only: masked
