"""One declaration per route: the router, the auth middleware and the OpenAPI
document all read the same list, so they cannot drift apart."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Param:
    name: str
    type: Any
    description: str = ""
    required: bool = False


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: Handler
    summary: str
    # The OpenAPI operationId, verb + resource (createMonitor): generated clients name
    # their functions after it. Keyword-only so that it can be required and still
    # follow the summary, named at every declaration.
    operation: str = field(kw_only=True)
    # Least scope a caller needs; None means no credentials are asked for.
    scope: str | None = None
    body: Any = None
    # False where an absent body means every field's default.
    body_required: bool = True
    response: Any = None
    status: int = 200
    query: tuple[Param, ...] = ()
    media_type: str = "application/json"
    # Other statuses answered with the same body, e.g. 503 from a probe that failed.
    also_status: tuple[int, ...] = ()
    # Other media types the same body comes in when asked for (e.g. YAML).
    also_media_types: tuple[str, ...] = ()
    # Path parameters that match only a regular expression, (name, regex): the router
    # tells apart two paths of the same shape by them, the OpenAPI document shows them.
    patterns: tuple[tuple[str, str], ...] = ()

    @property
    def router_path(self) -> str:
        path = self.path
        for name, regex in self.patterns:
            path = path.replace(f"{{{name}}}", f"{{{name}:{regex}}}")
        return path


ROUTES = web.AppKey("routes", dict)


def install(app: web.Application, routes: list[Route]) -> None:
    by_route: dict[web.AbstractRoute, Route] = {}
    for route in routes:
        by_route[app.router.add_route(route.method, route.router_path, route.handler)] = route
    app[ROUTES] = by_route


def route_of(request: web.Request) -> Route | None:
    return request.app[ROUTES].get(request.match_info.route)
