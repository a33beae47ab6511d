"""An open anomaly in the dashboard: the monitor stays up, its page says it is degraded
and why, and its incident is tagged as an anomaly. Saved as a PNG in test-artifacts/."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import ADMIN_PASSWORD

pytestmark = pytest.mark.e2e
CAUSE = "median latency 200 ms in default, usually 5 ms (x40, critical)"


async def test_an_open_anomaly_marks_the_monitor_degraded(
    stack, admin, page: Page, artifacts: Path
):
    email, _ = admin
    await page.goto(f"{stack.api_url}/ui/#/login")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(ADMIN_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Monitors")).to_be_visible()
    await page.get_by_role("link", name="New monitor").click()
    await page.get_by_label("Name", exact=True).fill("slowing shop")
    await page.get_by_label("Target", exact=True).fill("http://127.0.0.1:9/")
    await page.get_by_role("button", name="Create monitor").click()
    await expect(page).to_have_url(re.compile(r"#/monitors/[0-9a-f-]{36}$"))
    monitor_id = page.url.rsplit("/", 1)[1]
    mark = page.locator(".anomaly-mark")
    await expect(mark).to_be_hidden()

    # What the notifier's anomaly pass writes when it opens one.
    conn = await asyncpg.connect(stack.settings.pg_dsn)
    try:
        await conn.execute(
            "INSERT INTO incidents (id, monitor_id, status, cause, regions, opened_at, kind,"
            " metric) VALUES ($1, $2, 'open', $3, '{default}', $4, 'anomaly', 'latency_p50')",
            uuid.uuid4(),
            uuid.UUID(monitor_id),
            CAUSE,
            datetime.now(UTC),
        )
    finally:
        await conn.close()

    await page.reload()
    await expect(mark).to_be_visible()
    await expect(mark).to_have_text(f"Degraded: {CAUSE}")
    row = page.locator("table.incidents tbody tr").first
    await expect(row.locator(".anomaly-tag")).to_have_text("anomaly")
    await page.screenshot(path=artifacts / "dashboard-anomaly.png", full_page=True)
