"""POST /api/v1/imports?from=TOOL: another tool's export (Uptime Kuma's backup,
Gatus' configuration, Healthchecks' check list) as upmon monitors and channels."""

from __future__ import annotations

from typing import Literal

from aiohttp import web

from services.api import importing, params, state
from services.api.auth import PRINCIPAL
from services.api.importers import SOURCES
from services.api.jsonio import reply
from services.api.problems import invalid_field
from services.api.routes import monitors_io
from services.api.routing import Param, Route


async def import_from_tool(request: web.Request) -> web.Response:
    source = params.choice(request, "from", SOURCES)
    if source is None:
        raise invalid_field("from", f"is required: one of {', '.join(SOURCES)}")
    dry_run = params.flag(request, "dry_run")
    doc = await monitors_io.parse_off_loop(await request.read(), monitors_io.body_format(request))
    st = state.of(request)
    async with st.pool.acquire() as conn:
        report = await importing.run(
            conn,
            source,
            doc,
            st.settings.public_url,
            st.keyring,
            dry_run,
            scope=request[PRINCIPAL].scope,
        )
    return reply(report, 200 if dry_run else 201)


ROUTES = [
    Route(
        "POST",
        "/api/v1/imports",
        import_from_tool,
        "Import monitors and channels from Uptime Kuma, Gatus or Healthchecks: every item"
        " that maps is created, or nothing; the report says why an item did not map.",
        operation="importFromTool",
        scope="write",
        response=importing.ImportReport,
        status=201,
        also_status=(200,),
        query=(
            Param("from", Literal["uptime-kuma", "gatus", "healthchecks"], "The tool.", True),
            Param("dry_run", bool, "Report what would be created; store nothing."),
        ),
    ),
]
