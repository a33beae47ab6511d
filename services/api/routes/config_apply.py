"""POST /api/v1/config:apply: make the stored channels, monitors, status pages and
maintenance windows match a declared file (see services/api/config_apply.py)."""

from __future__ import annotations

from aiohttp import web

from services.api import config_apply, params, state
from services.api.jsonio import reply
from services.api.routes import monitors_io
from services.api.routing import Param, Route


async def apply_config(request: web.Request) -> web.Response:
    dry_run, prune = params.flag(request, "dry_run"), params.flag(request, "prune")
    doc = monitors_io.parse(await request.read(), monitors_io.body_format(request))
    st = state.of(request)
    async with st.pool.acquire() as conn:
        report = await config_apply.apply(
            conn, doc, st.keyring, st.settings.public_url, dry_run=dry_run, prune=prune
        )
    return reply(report)


ROUTES = [
    Route(
        "POST",
        "/api/v1/config:apply",
        apply_config,
        "Apply a declared configuration (JSON or YAML: channels, monitors, status_pages,"
        " maintenance, keyed by name or slug) in one transaction; the answer lists every"
        " create, update and delete.",
        operation="applyConfig",
        scope="write",
        response=config_apply.ApplyReport,
        query=(
            Param("dry_run", bool, "Report the changes; store nothing."),
            Param("prune", bool, "Also delete what the file does not declare."),
        ),
    ),
]
