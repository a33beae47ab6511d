"""Every route the api serves, gathered from the modules that handle them."""

from __future__ import annotations

from services.api.routes import (
    api_keys,
    auth_login,
    badges,
    channels,
    dashboard,
    health,
    health_queue,
    incidents,
    maintenance,
    meta,
    monitors,
    monitors_io,
    ops,
    ops_capacity,
    ops_dlq,
    ops_events,
    ops_history,
    ops_settings,
    push,
    results,
    status_pages,
    users,
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
    *health_queue.ROUTES,
    *monitors_io.ROUTES,
    *ops_dlq.ROUTES,
    *ops_events.ROUTES,
    *ops_history.ROUTES,
    *ops_capacity.ROUTES,
    *ops_settings.ROUTES,
    *auth_login.ROUTES,
    *status_pages.ROUTES,
    *badges.ROUTES,
    *dashboard.ROUTES,
    *users.ROUTES,
]
