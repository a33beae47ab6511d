"""Pure parts of the api's headers, rate limits, public cache and masking."""

from __future__ import annotations

import asyncio

import pytest

from services.api import auth, ratelimit, security
from services.api.cache import TtlCache
from shared import config

DASHBOARD_CSP = "default-src 'none'; script-src 'self'; frame-ancestors 'none'"


def test_json_answers_get_a_deny_all_policy_and_no_store():
    added = security.headers_for("/api/v1/monitors", {}, "", authenticated=True)
    assert added["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert added["X-Frame-Options"] == "DENY" and added["Cache-Control"] == "no-store"
    assert added["Server"] == "upmon" and added["X-Content-Type-Options"] == "nosniff"


def test_a_routes_own_policy_and_cache_header_are_kept():
    existing = {"Content-Security-Policy": DASHBOARD_CSP, "Cache-Control": "no-cache"}
    added = security.headers_for("/ui/", existing, "https://a.example", authenticated=False)
    assert added["Content-Security-Policy"] == DASHBOARD_CSP
    assert "Cache-Control" not in added


def test_only_status_pages_take_the_configured_frame_ancestors():
    style = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"}
    page = security.headers_for("/status/shop", style, "https://a.example", False)
    assert page["Content-Security-Policy"].endswith("; frame-ancestors https://a.example")
    assert "X-Frame-Options" not in page
    closed = security.headers_for("/status/shop", style, "", False)
    assert closed["Content-Security-Policy"].endswith("; frame-ancestors 'none'")
    assert closed["X-Frame-Options"] == "DENY"
    other = security.headers_for("/docs", {}, "https://a.example", False)
    assert "frame-ancestors 'none'" in other["Content-Security-Policy"]


@pytest.mark.parametrize(
    "value", ["https://a; script-src *", "*", "https://a\n", "javascript:x", "https://a  b"]
)
def test_frame_ancestors_that_could_widen_the_policy_are_refused(value):
    with pytest.raises(config.ConfigError, match="UPMON_STATUS_FRAME_ANCESTORS"):
        config.load({"UPMON_STATUS_FRAME_ANCESTORS": value})


@pytest.mark.parametrize("token", ["upk_a\tb", "upk_\x00", "upk_\u202e", "é", "x" * 513])
def test_bearer_tokens_outside_printable_ascii_are_refused(token):
    assert not auth._TOKEN.fullmatch(token)


def test_keys_spend_from_their_bucket_addresses_from_theirs_probes_from_none():
    s = config.load({}, rate_limit_key_rps=5, rate_limit_address_rps=1)
    assert ratelimit.budget(s, "k1", "10.0.0.1", "/api/v1/monitors").bucket == "k:k1"
    assert ratelimit.budget(s, None, "10.0.0.1", "/status/x").bucket == "a:10.0.0.1"
    for free in ("/healthz", "/metrics", "/ui/", "/ui/app.js", "/docs", "/openapi.json"):
        assert ratelimit.budget(s, None, "10.0.0.1", free) is None, free
    assert ratelimit.budget(s, None, "x" * 500, "/badge/1").bucket == "a:" + "x" * 64
    off = config.load({}, rate_limit_key_rps=0, rate_limit_address_rps=0)
    assert ratelimit.budget(off, "k1", "a", "/api/v1/monitors") is None
    assert ratelimit.budget(off, None, "a", "/status/x") is None


def test_idle_buckets_are_kept_until_the_slowest_would_be_full():
    s = config.load({}, rate_limit_key_rps=10, rate_limit_key_burst=100)
    assert ratelimit.full_after_s(s) == max(10.0, s.rate_limit_address_burst / 10.0)


async def test_the_cache_computes_once_per_key_and_forgets_failures():
    cache, calls = TtlCache(ttl_s=30, max_entries=2), []

    async def compute(key):
        calls.append(key)
        await asyncio.sleep(0)
        if key == "bad":
            raise LookupError(key)
        return key.upper()

    together = [cache.get("a", lambda: compute("a")) for _ in range(5)]
    assert await asyncio.gather(*together) == ["A"] * 5
    for _ in range(2):
        with pytest.raises(LookupError):
            await cache.get("bad", lambda: compute("bad"))
    assert calls == ["a", "bad", "bad"]
    await cache.get("b", lambda: compute("b"))
    await cache.get("c", lambda: compute("c"))
    await cache.get("a", lambda: compute("a"))  # evicted as least recently used
    assert calls[-3:] == ["b", "c", "a"]


async def test_cache_entries_expire():
    cache, calls = TtlCache(ttl_s=0.0), []

    async def compute():
        calls.append(1)
        return 1

    await cache.get("k", compute)
    await cache.get("k", compute)
    assert len(calls) == 2
