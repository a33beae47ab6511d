"""The operator's pages in headless Chromium against the whole stack: Operations
(queues, replicas, throughput, queue health), Dead letters (filter, the decoded
event, retry and discard one, a selection and all matching, top reasons) and Admin
(users, API keys shown once, maintenance with a preview, settings); and the latency
chart's axis on sub-millisecond and missing values. Each page is saved as a PNG in
test-artifacts/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from tests.browser.test_dashboard import SLOW, Shots, console_errors
from tests.conftest import eventually

pytestmark = pytest.mark.e2e


class OperatorShots(Shots):
    async def take(self, name: str) -> None:
        self.count += 1
        path = self.folder / f"operator-{self.count:02d}-{name}.png"
        await self.page.screenshot(path=path, full_page=True)


async def sign_in(page: Page, base: str, email: str, password: str) -> None:
    await page.goto(f"{base}/ui/#/login")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Monitors")).to_be_visible()


async def poison(js) -> None:
    """Messages nobody can decode, dead-lettered by the real services: three results
    (one dead letter each, whichever consumer gets there first) and one delivery."""
    for i in range(3):
        await js.publish(f"checks.result.default.poison{i}", b"not a result %d" % i)
    await js.publish("notify.deliver.webhook.c1", b"not a delivery")

    async def all_dead():
        return (await js.stream_info("DLQ")).state.messages == 4

    await eventually(all_dead, timeout=30)


async def latency_axis_labels(page: Page) -> dict[str, list[str]]:
    """The latency chart's first three axis labels for fast, missing and slow values."""
    return await page.evaluate(
        """async () => {
          const { latencyChart } = await import("/ui/charts.js");
          const at = (i) => new Date(Date.UTC(2024, 4, 1, 12, 0, i)).toISOString();
          const run = (values) => {
            const results = values.map((v, i) => (
              { scheduled_at: at(i), latency_ms: v, status: v === null ? "down" : "up" }
            ));
            const texts = latencyChart(results).querySelectorAll("text.axis");
            return [...texts].map((t) => t.textContent).slice(0, 3);
          };
          return {
            fast: run([0.21, 0.4, 0.35]), down: run([null, null, null]), slow: run([120, 80, 95]),
          };
        }"""
    )


async def shows_a_clusters_placement(page: Page, queues, shots: OperatorShots) -> None:
    """The page as on a cluster: the real ops/queues answer with placements added (this
    stack has one NATS server; the API's placements are tested on a real cluster)."""
    where = {
        "leader": "nats-2",
        "replicas": [
            {"name": "nats-1", "current": False, "offline": True, "lag": 0, "state": "offline"},
            {"name": "nats-3", "current": True, "offline": False, "lag": 0, "state": "caught_up"},
            # Stale fields the page must not second-guess: the api's verdict is `state`.
            {"name": "nats-4", "current": True, "last_seen_s": 14.2, "state": "unreachable"},
        ],
    }

    streams: list[str] = []

    async def clustered(route) -> None:
        answer = await (await route.fetch()).json()
        for stream in answer["streams"]:
            stream["placement"] = where
        streams[:] = [s["name"] for s in answer["streams"]]
        await route.fulfill(json=answer)

    await page.route("**/api/v1/ops/queues", clustered)
    await page.reload()
    cell = queues.locator('tr[data-stream="CHECKS"] td.placement')
    await expect(cell).to_have_text("nats-2 · nats-1 offline, nats-3, nats-4 unreachable 14s")
    await expect(cell.locator(".lagging")).to_have_text(
        ["nats-1 offline", "nats-4 unreachable 14s"]
    )
    # What each node leads: here nats-2 every stream; the page says how to even it out.
    nodes = page.locator("table.nats-nodes")
    await expect(nodes.locator('tr[data-node="nats-2"] td').nth(1)).to_have_text(str(len(streams)))
    await expect(nodes.locator('tr[data-node="nats-1"]')).to_contain_text("offline")
    await expect(nodes.locator('tr[data-node="nats-4"]')).to_contain_text("offline or unreachable")
    await expect(nodes.locator('tr[data-node="nats-3"]')).to_contain_text("caught up")
    await expect(nodes.locator('tr[data-node="nats-3"] td').nth(1)).to_have_text("0")
    await expect(page.get_by_text("upmon leaders --balance")).to_be_visible()
    await shots.take("operations-cluster")
    await moves_leaders(page, nodes)
    # Reloads after the moves may still be in the fake's hands: let them finish.
    await page.unroute_all(behavior="wait")


async def moves_leaders(page: Page, nodes) -> None:
    """Balance and Drain send their orders to ops/leaders and say what was done (the
    moves themselves are tested on a real cluster)."""
    orders: list[dict] = []

    async def answer(route) -> None:
        orders.append(route.request.post_data_json)
        # Two moves for the first order, one for the next: each flash is its own.
        moved = [{"stream": "CHECKS", "consumer": "", "source": "nats-2", "to": "nats-3"}]
        moved *= 3 - len(orders)
        report = {"nodes": [], "moves": moved, "stuck": [], "failed": [], "single": False}
        await route.fulfill(json=report)

    await page.route("**/api/v1/ops/leaders", answer)
    await page.get_by_role("button", name="Balance leaders").click()
    await expect(page.locator("#flash")).to_contain_text("Moved 2 leaders.")
    await nodes.locator('tr[data-node="nats-2"]').get_by_role("button", name="Drain").click()
    await expect(page.locator("#flash")).to_contain_text("Moved 1 leader.")
    # nats-3 leads nothing: there is nothing to drain.
    await expect(nodes.locator('tr[data-node="nats-3"]').get_by_role("button")).to_be_disabled()
    assert orders == [{"action": "balance"}, {"action": "drain", "nodes": ["nats-2"]}]


async def test_operations_dead_letters_and_admin_pages(stack, admin, page: Page, artifacts: Path):
    email, password = admin
    errors = console_errors(page)
    shots = OperatorShots(page, artifacts)
    page.on("dialog", lambda dialog: dialog.accept())
    await poison(stack.js)
    await sign_in(page, stack.api_url, email, password)

    # Operations: every live service, the streams with their consumers, the verdict.
    await page.get_by_role("link", name="Operations").click()
    await expect(page.get_by_role("heading", name="Operations")).to_be_visible()
    replicas = page.locator("table.replicas")
    for service in ("scheduler", "executor", "recorder", "notifier", "api"):
        await expect(replicas).to_contain_text(service)
    await expect(replicas).to_contain_text("default")  # the executor's region
    queues = page.locator("table.queues")
    await expect(queues.locator('tr[data-stream="CHECKS"]')).to_be_visible()
    await expect(queues.locator('tr[data-consumer="executor-default"]')).to_be_visible()
    await expect(page.locator(".health")).to_have_attribute(
        "data-verdict", re.compile("ok|unhealthy")
    )
    await expect(page.locator(".tiles")).to_contain_text("Schedule lag p99")
    await expect(page.locator("table.partitions")).to_contain_text("64", timeout=SLOW)
    # The recorder's first history sample (every 10 s) draws the consumers' sparklines.
    spark = queues.locator('tr[data-consumer="recorder"] svg.sparkline')
    await expect(spark.first).to_be_visible(timeout=SLOW)
    # A single server has no placement; a cluster's is drawn from ops/queues.
    await expect(queues.locator('tr[data-stream="CHECKS"] td.placement')).to_have_count(0)
    await expect(page.locator("table.nats-nodes")).to_have_count(0)
    await expect(queues.locator("thead")).to_contain_text("Leader · copies")
    await shots.take("operations")
    await shows_a_clusters_placement(page, queues, shots)

    # Dead letters: filtered to one consumer's, opened, discarded; then a selection
    # discarded and the rest retried.
    await page.get_by_role("link", name="Dead letters").click()
    letters = page.locator("table.dead-letters tbody tr")
    await expect(letters).to_have_count(4)
    await expect(page.locator("table.reasons-24h")).to_contain_text("notifier-deliver")
    await page.get_by_label("Consumer").fill("notifier-deliver")
    await page.get_by_role("button", name="Filter").click()
    await expect(letters).to_have_count(1)
    await letters.first.get_by_text("Event").click()
    await expect(letters.first.locator("pre.event")).to_contain_text("not a delivery")
    await shots.take("dead-letters")
    await letters.first.get_by_role("button", name="Discard").click()
    await expect(page.get_by_text("No dead letters match.")).to_be_visible()
    await page.get_by_label("Consumer").fill("")
    await page.get_by_role("button", name="Filter").click()
    await expect(letters).to_have_count(3)
    for row in (letters.nth(0), letters.nth(1)):
        await row.get_by_role("checkbox").check()
    await page.get_by_role("button", name="Discard selected").click()
    await expect(page.locator("#flash")).to_contain_text("Discarded 2 of 2")
    await expect(letters).to_have_count(1)
    await page.get_by_role("button", name="Retry all matching").click()
    await expect(page.locator("#flash")).to_contain_text("Retried 1 of 1")

    # Admin: an API key shown once and revoked, a recurring window previewed and made.
    await page.get_by_role("link", name="Admin").click()
    await expect(page.get_by_role("heading", name="Admin", exact=True)).to_be_visible()
    users = page.locator("table.users")
    await expect(users).to_contain_text(email)
    await page.get_by_label("Email", exact=True).fill("viewer@example.com")
    await page.get_by_label("Password", exact=True).fill("short")
    await page.get_by_role("button", name="Add user").click()
    await expect(page.locator('[data-field="password"] .field-error')).not_to_be_empty()
    await page.get_by_label("Password", exact=True).fill("viewer-password-1")
    await page.get_by_label("Role", exact=True).select_option("write")
    await page.get_by_role("button", name="Add user").click()
    viewer = page.locator('tr[data-user="viewer@example.com"]')
    await expect(viewer).to_contain_text("active")
    await viewer.get_by_label("role of viewer@example.com").select_option("read")
    await viewer.get_by_role("button", name="Save role").click()
    await expect(page.locator("#flash")).to_contain_text("viewer@example.com is now read")
    await viewer.get_by_role("button", name="Disable").click()
    await expect(viewer).to_contain_text("disabled")
    await page.get_by_label("Key name").fill("deploy bot")
    await page.get_by_role("button", name="Create key").click()
    await expect(page.locator(".secret-key")).to_have_text(re.compile(r"^upm_"))
    key_row = page.locator('tr[data-key="deploy bot"]')
    await expect(key_row).to_be_visible()
    await page.get_by_label("Window name").fill("nightly db upgrade")
    await page.get_by_label("Tags").fill("db")
    await page.get_by_label("Repeats").select_option("cron")
    await page.get_by_label("Cron").fill("not cron")
    await page.get_by_label("Duration (s)").fill("1800")
    await page.get_by_label("Time zone").fill("Europe/Berlin")
    await page.get_by_role("button", name="Preview next occurrences").click()
    await expect(page.locator('[data-field="cron"] .field-error')).to_contain_text("cron")
    await page.get_by_label("Cron").fill("30 2 * * *")
    await page.get_by_role("button", name="Preview next occurrences").click()
    await expect(page.locator("ol.occurrences li")).to_have_count(5)
    await page.get_by_role("button", name="Create window").click()
    await expect(page.locator('tr[data-window="nightly db upgrade"]')).to_contain_text("30 2 * * *")
    await expect(page.get_by_label("Cron")).to_be_hidden()
    await expect(page.locator('[data-field="cron"] .field-error')).to_be_empty()
    # A one-off window: its local start and end go to the api as UTC times.
    await page.get_by_label("Window name").fill("switch swap")
    await page.get_by_label("Tags").fill("edge")
    await page.get_by_label("Starts").fill("2030-01-05T10:00")
    await page.get_by_label("Ends").fill("2030-01-05T09:00")
    await page.get_by_role("button", name="Create window").click()
    await expect(page.locator('[data-field="ends_at"] .field-error')).to_contain_text("after")
    await page.get_by_label("Ends").fill("2030-01-05T11:30")
    await page.get_by_role("button", name="Create window").click()
    await expect(page.locator('tr[data-window="switch swap"]')).to_contain_text("2030-01-05 10:00")
    await expect(page.locator("table.settings")).to_contain_text("UPMON_PG_DSN")
    await expect(page.locator("table.settings")).to_contain_text("UPMON_CLICKHOUSE_PASSWORD")
    await shots.take("admin")
    await key_row.get_by_role("button", name="Revoke").click()
    await expect(key_row).to_have_count(0)
    await viewer.get_by_role("button", name="Delete").click()
    await expect(viewer).to_have_count(0)

    # The latency chart's axis no longer repeats "1 ms" on fast or failing monitors.
    labels = await latency_axis_labels(page)
    assert labels["fast"] == ["0 ms", "0.25 ms", "0.5 ms"]
    assert labels["down"] == ["0 ms", "0.5 ms", "1 ms"]
    assert labels["slow"] == ["0 ms", "100 ms", "200 ms"]
    assert not errors, f"errors in the browser console: {errors}"
