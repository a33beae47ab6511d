"""Every route the api serves, gathered from the modules that handle them."""

from __future__ import annotations

from services.api.routes import (
    api_keys,
    channels,
    health,
    incidents,
    maintenance,
    meta,
    monitors,
    ops,
    push,
    results,
)
from services.api.routing import Route

ALL: list[Route] = [
    *health.ROUTES,
    *meta.ROUTES,
    *api_keys.ROUTES,
    *monitors.ROUTES,
    *results.ROUTES,
    *channels.ROUTES,
    *incidents.ROUTES,
    *maintenance.ROUTES,
    *ops.ROUTES,
    *push.ROUTES,
]
