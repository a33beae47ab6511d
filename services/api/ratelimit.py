"""Per-key and per-address rate limits of the api, as token buckets in Postgres
(stores/rate_buckets.py) so that every replica enforces one budget.

A caller with credentials spends from its key's (or login session's) bucket; a
caller without spends from its address's, on every route but the probes and the
files served from memory. Over
budget, the answer is a 429 problem with `Retry-After`."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from aiohttp import web

from services.api import state
from services.api.auth import PRINCIPAL
from services.api.problems import ApiError
from services.api.routes.auth_login import client_address
from services.api.stores import rate_buckets
from shared.config import Settings

# Probes and scrapes come from the platform, often from one address, and must not fail.
# The dashboard's files and the API's own description are answered from memory:
# limiting them would cost a Postgres write more than serving them does.
EXEMPT = frozenset({"/healthz", "/readyz", "/metrics", "/", "/ui", "/docs", "/openapi.json"})
EXEMPT_PREFIXES = ("/ui/",)
# Idle buckets are deleted this often (per replica); the statement is one index-free scan.
SWEEP_EVERY_S = 60.0
MAX_ADDRESS = 64
# Buckets this replica knows to be empty; past this many, new denials are not kept.
MAX_DENIALS = 100_000


@dataclass(frozen=True)
class Budget:
    bucket: str
    rate: float
    burst: int
    who: str


def budget(settings: Settings, key_id: str | None, address: str, path: str) -> Budget | None:
    """The bucket a request spends from, or None when it is not limited."""
    if key_id is not None:
        if not settings.rate_limit_key_rps:
            return None
        return Budget(
            f"k:{key_id}", settings.rate_limit_key_rps, settings.rate_limit_key_burst, "key"
        )
    if path in EXEMPT or path.startswith(EXEMPT_PREFIXES) or not settings.rate_limit_address_rps:
        return None
    return Budget(
        f"a:{address[:MAX_ADDRESS]}",
        settings.rate_limit_address_rps,
        settings.rate_limit_address_burst,
        "address",
    )


def full_after_s(settings: Settings) -> float:
    """How long the slowest bucket takes to refill from empty."""
    times = [
        burst / rps
        for rps, burst in (
            (settings.rate_limit_key_rps, settings.rate_limit_key_burst),
            (settings.rate_limit_address_rps, settings.rate_limit_address_burst),
        )
        if rps
    ]
    return max(times, default=0.0)


def _too_many(who: str, wait_s: float) -> ApiError:
    wait = max(1, math.ceil(wait_s))
    return ApiError(
        429,
        "Too Many Requests",
        f"this {who} has used its request budget; retry in {wait} s",
        headers={"Retry-After": str(wait)},
    )


async def _sweep(st: state.ApiState) -> None:
    now = time.monotonic()
    if now - st.rate_swept_at >= SWEEP_EVERY_S:
        st.rate_swept_at = now
        await rate_buckets.sweep(st.pool, full_after_s(st.settings))


@web.middleware
async def rate_limit_middleware(request: web.Request, handler) -> web.StreamResponse:
    st = state.of(request)
    principal = request.get(PRINCIPAL)
    address = client_address(request, st.settings.trusted_proxy_hops)
    # A user's login sessions share one bucket, as one key's callers do.
    key_id = getattr(principal, "user_id", None) or principal.id if principal else None
    spend = budget(st.settings, key_id, address, request.path)
    if spend is not None:
        await _spend(st, spend)
    return await handler(request)


async def _spend(st: state.ApiState, spend: Budget) -> None:
    now = time.monotonic()
    # An empty bucket stays empty until it refills, whatever other replicas do: until
    # then this replica answers 429 itself, and a flood costs Postgres nothing.
    until = st.rate_denied.get(spend.bucket, 0.0)
    if until > now:
        raise _too_many(spend.who, until - now)
    wait = await rate_buckets.take(st.pool, spend.bucket, spend.rate, spend.burst)
    if wait is not None:
        _remember_denial(st.rate_denied, spend.bucket, now + wait)
        raise _too_many(spend.who, wait)
    await _sweep(st)


def _remember_denial(denied: dict[str, float], bucket: str, until: float) -> None:
    if len(denied) >= MAX_DENIALS:
        now = time.monotonic()
        for name in [b for b, t in denied.items() if t <= now]:
            del denied[name]
        if len(denied) >= MAX_DENIALS:
            return
    denied[bucket] = until
