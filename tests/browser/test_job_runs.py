"""A job monitor's runs in the dashboard: a timeline of bars as tall as each run took,
coloured by outcome, a missed run marked on the axis, the run statistics and the
latest runs with their durations, including a run pushed by slug with a ping key
through the running stack. Saved as a PNG in test-artifacts/."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import asyncpg
import pytest
from playwright.async_api import Page, expect

from services.api.keys import create_api_key
from tests.browser.conftest import ADMIN_PASSWORD

pytestmark = pytest.mark.e2e
SLOW = 25_000

# (minutes ago it ended, outcome, seconds it took, exit code, reason, late)
SEEDED = [
    (300, "success", 42.0, 0, None, False),
    (240, "success", 95.0, 0, None, False),
    (180, "failure", 12.0, 2, "the job exited with code 2", False),
    (120, "missed", None, None, "no run by the deadline", True),
    (60, "success", 61.0, 0, None, True),
]


async def _seed_runs(ch, database: str, monitor_id: str) -> None:
    """What the recorder writes for finished runs, hours back so they have a history."""
    now = datetime.now(UTC)
    rows = []
    for ago, outcome, took, code, reason, late in SEEDED:
        ended = now - timedelta(minutes=ago)
        row = {
            "monitor_id": uuid.UUID(monitor_id),
            "ended_at": ended,
            "event_id": str(uuid.uuid4()),
            "outcome": outcome,
            "started_at": ended - timedelta(seconds=took) if took is not None else None,
            "duration_s": took,
            "exit_code": code,
            "reason": reason,
            "late": late,
        }
        rows.append(row)
    columns = list(rows[0])
    rows = [list(r.values()) for r in rows]
    await ch.insert(f"{database}.job_runs", rows, column_names=columns)


async def _setup(stack) -> tuple[dict, str]:
    conn = await asyncpg.connect(stack.settings.pg_dsn)
    try:
        _, key = await create_api_key(conn, "browser", "write")
    finally:
        await conn.close()
    headers = {"Authorization": f"Bearer {key}"}
    async with aiohttp.ClientSession(base_url=stack.api_url, headers=headers) as api:
        body = {
            "name": "nightly etl",
            "kind": "heartbeat",
            "heartbeat": {
                "period_s": 3600,
                "grace_s": 600,
                "slug": "nightly-etl",
                "max_runtime_s": 900,
            },
        }
        async with api.post("/api/v1/monitors", json=body) as resp:
            assert resp.status == 201, await resp.text()
            monitor = await resp.json()
        async with api.post("/api/v1/ping-keys", json={"name": "etl hosts"}) as resp:
            assert resp.status == 201, await resp.text()
            ping_key = (await resp.json())["key"]
    return monitor, ping_key


async def _push(
    stack, ping_key: str, tail: str, body: bytes = b"", slug: str = "nightly-etl"
) -> None:
    url = f"{stack.api_url}/api/v1/push/{ping_key}/{slug}{tail}"
    async with aiohttp.ClientSession() as session, session.post(url, data=body) as resp:
        assert resp.status == 200, await resp.text()


async def test_a_job_page_shows_its_runs_as_a_timeline_with_durations(
    stack, admin, ch, page: Page, artifacts: Path
):
    monitor, ping_key = await _setup(stack)
    await _seed_runs(ch, stack.settings.clickhouse_database, monitor["id"])
    await _push(stack, ping_key, "/start?rid=host-1")
    await _push(stack, ping_key, "/0?rid=host-1", b"loaded 1200 rows\n")

    email, _ = admin
    await page.goto(f"{stack.api_url}/ui/#/login")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(ADMIN_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Monitors")).to_be_visible()
    await page.goto(f"{stack.api_url}/ui/#/monitors/{monitor['id']}")
    await expect(page.get_by_role("heading", name="Runs")).to_be_visible()
    slug_url = f"{stack.api_url}/api/v1/push/<ping key>/nightly-etl"
    await expect(page.locator(".facts dd", has_text="/push/<ping key>/")).to_have_text(slug_url)

    timeline = page.locator("svg.run-timeline")
    # Four seeded runs with a duration and the pushed one (once the recorder has it).
    await expect(timeline.locator("rect.run")).to_have_count(5, timeout=SLOW)
    await expect(timeline.locator("circle.r-missed")).to_have_count(1)
    await expect(timeline.locator("rect.r-failure")).to_have_count(1)
    await expect(timeline.locator("rect.r-success")).to_have_count(4)
    await expect(timeline).to_have_attribute("aria-label", re.compile(r"last 6 runs: 2 failed"))

    long_run = timeline.locator("rect.run", has_text="took 95 s")
    short_run = timeline.locator("rect.run", has_text="took 42 s")
    failed = timeline.locator("rect.r-failure")
    await expect(failed.locator("title")).to_contain_text("took 12 s, exit 2")
    long_h = float(await long_run.get_attribute("height"))
    short_h = float(await short_run.get_attribute("height"))
    # Bars are as tall as the runs took: 95 s against 42 s.
    assert long_h == pytest.approx(short_h * 95 / 42, rel=0.02)

    rows = page.locator("table.runs tbody tr")
    await expect(rows).to_have_count(6)
    newest = rows.first
    await expect(newest).to_contain_text("host-1")
    await expect(newest.locator(".badge")).to_have_text("success")
    await expect(rows.nth(1)).to_contain_text("61 s")
    await expect(rows.nth(2)).to_contain_text("missed")
    await expect(rows.nth(3)).to_contain_text("the job exited with code 2")
    tiles = page.locator(".run-stats")
    await expect(tiles.locator(".tile", has_text="Runs (24h)")).to_contain_text("6")
    await expect(tiles.locator(".tile", has_text="Missed")).to_contain_text("1")
    await expect(tiles.locator(".tile", has_text="Longest")).to_contain_text("95 s")
    await page.screenshot(path=artifacts / "dashboard-job-runs.png", full_page=True)

    # The form edits the slug and keeps what it does not show (here max_runtime_s).
    await page.get_by_role("link", name="Edit").click()
    await page.get_by_label("Slug").fill("Bad Slug")
    await page.get_by_role("button", name="Save changes").click()
    await expect(page.locator("#monitor-heartbeat-slug-error")).to_contain_text("match")
    await page.get_by_label("Slug").fill("etl-eu")
    await page.get_by_role("button", name="Save changes").click()
    await expect(page.locator(".facts dd", has_text="/push/<ping key>/")).to_have_text(
        f"{stack.api_url}/api/v1/push/<ping key>/etl-eu"
    )
    await _push(stack, ping_key, "/log", b"moved", slug="etl-eu")
    conn = await asyncpg.connect(stack.settings.pg_dsn)
    try:
        spec = json.loads(
            await conn.fetchval(
                "SELECT doc->'heartbeat' FROM monitors WHERE id = $1", uuid.UUID(monitor["id"])
            )
        )
    finally:
        await conn.close()
    assert (spec["slug"], spec["max_runtime_s"], spec["period_s"]) == ("etl-eu", 900, 3600)
