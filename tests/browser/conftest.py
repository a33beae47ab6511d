"""Browser tests: Debian's chromium driven by Playwright (async API, on the test
loop), against the whole stack running as subprocesses.

Chromium comes from the system's package manager, never from `playwright install`
(the network reaches package registries only). A missing chromium is installed
here; when that fails, the test fails with apt's output: it never skips."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from services.api.stores import users as user_store
from tests.harness import ROOT, Stack, running_stack

CHROMIUM = Path("/usr/bin/chromium")
# Only local addresses resolve: chromium's own calls to outside hosts go nowhere.
CHROMIUM_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"]
APT_GET = ["apt-get", "-o", "DPkg::Lock::Timeout=600"]
ARTIFACTS = ROOT / "test-artifacts"
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "dashboard-admin-pw"


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(
        args, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )


def _has_candidate() -> bool:
    found = _run(["apt-cache", "policy", "chromium"], 60)
    return found.returncode == 0 and "Candidate:" in found.stdout and "(none)" not in found.stdout


def install_chromium() -> Path:
    """Install Debian's chromium unless it is there; fail (never skip) with apt's output."""
    if CHROMIUM.exists():
        return CHROMIUM
    if shutil.which("apt-get") is None:
        pytest.fail(f"{CHROMIUM} is missing and there is no apt-get to install chromium with")
    steps: list[subprocess.CompletedProcess[str]] = []
    if not _has_candidate():
        steps.append(_run([*APT_GET, "update"], 600))
    if not steps or steps[-1].returncode == 0:
        steps.append(_run([*APT_GET, "install", "-y", "chromium"], 900))
    if steps[-1].returncode != 0 or not CHROMIUM.exists():
        report = "\n".join(
            f"$ {' '.join(s.args)} -> exit {s.returncode}\n{s.stdout[-4000:]}{s.stderr[-4000:]}"
            for s in steps
        )
        pytest.fail(f"could not install chromium with apt-get:\n{report}", pytrace=False)
    return CHROMIUM


@pytest.fixture(scope="session")
def chromium() -> Path:
    return install_chromium()


@pytest.fixture(scope="session")
async def browser(chromium: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as pw:
        b = await pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            await b.close()


@pytest.fixture
async def context(browser: Browser) -> AsyncIterator[BrowserContext]:
    ctx = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    ctx.set_default_timeout(10_000)
    try:
        yield ctx
    finally:
        await ctx.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


FAILED = pytest.StashKey[bool]()


@pytest.fixture
async def page(request: pytest.FixtureRequest, context: BrowserContext) -> AsyncIterator[Page]:
    """A page that fails the test on any uncaught script error, and leaves a
    screenshot of itself in test-artifacts/ when the test fails."""
    p = await context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda exc: errors.append(str(exc)))
    yield p
    if request.node.stash.get(FAILED, False):
        ARTIFACTS.mkdir(exist_ok=True)
        await p.screenshot(path=ARTIFACTS / f"failed-{request.node.name}.png", full_page=True)
    assert not errors, f"script errors in the page: {errors}"


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
async def stack(settings, js, tmp_path) -> AsyncIterator[Stack]:
    """Every service as a subprocess, as in the end-to-end tests."""
    async with running_stack(settings, js, tmp_path) as st:
        yield st


async def create_admin(stack: Stack) -> tuple[str, str]:
    """An admin user on the stack's Postgres: (email, password)."""
    conn = await asyncpg.connect(stack.settings.pg_dsn)
    try:
        await user_store.create_user(conn, ADMIN_EMAIL, ADMIN_PASSWORD, name="Admin")
    finally:
        await conn.close()
    return ADMIN_EMAIL, ADMIN_PASSWORD


@pytest.fixture
async def admin(stack: Stack) -> tuple[str, str]:
    return await create_admin(stack)
