"""The API describing itself: /openapi.json and a readable /docs page."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from services.api import docs
from services.api.routing import Route

OPENAPI = web.AppKey("openapi", dict)
DOCS_HTML = web.AppKey("docs_html", str)


def publish(app: web.Application, spec: dict[str, Any]) -> None:
    """Render once at start-up: the routes cannot change while the app runs."""
    app[OPENAPI] = spec
    app[DOCS_HTML] = docs.render(spec)


async def openapi_json(request: web.Request) -> web.Response:
    return web.json_response(request.app[OPENAPI])


# The page is one document with an inline style sheet, and nothing else to load.
DOCS_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


async def docs_page(request: web.Request) -> web.Response:
    return web.Response(
        text=request.app[DOCS_HTML],
        content_type="text/html",
        headers={"Content-Security-Policy": DOCS_CSP},
    )


ROUTES = [
    Route(
        "GET",
        "/openapi.json",
        openapi_json,
        "This API as an OpenAPI 3.1 document.",
        operation="getOpenApiDocument",
        response=dict[str, Any],
    ),
    Route(
        "GET",
        "/docs",
        docs_page,
        "This API as a readable page.",
        operation="renderApiDocs",
        media_type="text/html",
    ),
]
