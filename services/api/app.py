"""The aiohttp application, built from an ApiState so tests and `main` share it."""

from __future__ import annotations

from aiohttp import web

from services.api import openapi, routes, routing, security
from services.api.auth import auth_middleware
from services.api.problems import problem_middleware
from services.api.ratelimit import rate_limit_middleware
from services.api.routes import meta
from services.api.state import STATE, ApiState

# Larger than any sane monitor or channel body; bigger ones get a 413 problem.
MAX_BODY_BYTES = 1024 * 1024


def build_app(state: ApiState) -> web.Application:
    # problem_middleware is outermost so that auth failures become problems too; the
    # rate limit runs after auth, so a caller with a key spends from its key's bucket.
    app = web.Application(
        middlewares=[problem_middleware, auth_middleware, rate_limit_middleware],
        client_max_size=MAX_BODY_BYTES,
    )
    app[STATE] = state
    security.install(app)
    routing.install(app, routes.ALL)
    meta.publish(app, openapi.build(routes.ALL))
    return app
