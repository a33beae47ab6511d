"""Security headers on every answer of the api, set in one place as a response is
prepared, so streamed answers and problems get them as much as handlers' replies.

A route that needs a richer policy (the dashboard, the docs, status pages) sets its
own Content-Security-Policy; this adds what it lacks and never loosens it."""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web

from services.api import state
from services.api.auth import PRINCIPAL
from shared import httpd

DENY_ALL = "default-src 'none'; frame-ancestors 'none'"
# Public status pages, in HTML or JSON: the only answers an operator may let others frame.
STATUS_PREFIXES = ("/status/", "/api/v1/status/")
# Answers of these paths carry who asked or what they may see: no cache may keep them.
PRIVATE_PREFIX = "/api/"


def headers_for(
    path: str, existing: Mapping[str, str], frame_ancestors: str, authenticated: bool
) -> dict[str, str]:
    """The headers to add to an answer for `path` that already has `existing`."""
    out = {
        "Server": httpd.SERVER,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": existing.get("Referrer-Policy", "no-referrer"),
    }
    framable = bool(frame_ancestors) and path.startswith(STATUS_PREFIXES)
    ancestors = frame_ancestors if framable else "'none'"
    csp = existing.get("Content-Security-Policy", "default-src 'none'")
    if "frame-ancestors" not in csp:
        csp = f"{csp}; frame-ancestors {ancestors}"
    out["Content-Security-Policy"] = csp
    if not framable:
        out["X-Frame-Options"] = "DENY"
    if "Cache-Control" not in existing and (authenticated or path.startswith(PRIVATE_PREFIX)):
        out["Cache-Control"] = "no-store"
    return out


async def _on_prepare(request: web.Request, response: web.StreamResponse) -> None:
    ancestors = state.of(request).settings.status_frame_ancestors
    response.headers.update(
        headers_for(request.path, response.headers, ancestors, PRINCIPAL in request)
    )


def install(app: web.Application) -> None:
    app.on_response_prepare.append(_on_prepare)
