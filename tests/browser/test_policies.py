"""The api's security headers in a real browser: /docs and a status page render
under their Content-Security-Policy with no violation, and a page of another
origin cannot frame a status page."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer
from playwright.async_api import ConsoleMessage, Page

from services.api import keys
from services.api.app import build_app
from services.api.state import ApiState
from tests.conftest import eventually
from tests.integration.conftest import Api
from tests.integration.test_status_pages import page as create_page


@pytest.fixture
async def api(settings, nc, js, pool, ch):
    state = ApiState(settings=settings, pool=pool, nc=nc, js=js, ch=ch)
    _, admin_key = await keys.create_api_key(pool, "policy test", "admin")
    async with TestClient(TestServer(build_app(state))) as client:
        yield Api(client, admin_key)


def console_errors(page: Page) -> list[str]:
    found: list[str] = []

    def seen(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            found.append(msg.text)

    page.on("console", seen)
    return found


async def test_docs_and_status_pages_render_under_their_policies(api, page: Page):
    await create_page(api, "shop", [(await api.monitor())["id"]])
    errors = console_errors(page)

    await page.goto(str(api.client.make_url("/docs")))
    # The inline style sheet applied: body is 60rem wide at most.
    assert await page.evaluate("getComputedStyle(document.body).maxWidth") == "960px"
    await page.goto(str(api.client.make_url("/status/shop")))
    assert await page.evaluate("getComputedStyle(document.body).margin") == "0px"

    assert errors == []


async def test_a_status_page_cannot_be_framed_by_another_page(api, page: Page):
    await create_page(api, "shop", [(await api.monitor())["id"]])
    errors = console_errors(page)
    url = api.client.make_url("/status/shop")

    await page.set_content(f'<iframe src="{url}" width="600" height="400"></iframe>')

    async def refused() -> list[str]:
        return [e for e in errors if "frame-ancestors" in e]

    await eventually(refused, timeout=10)
    assert "Shop" not in await page.frames[-1].content()
