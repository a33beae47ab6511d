"""Runs of a job (heartbeat) monitor: each start-to-end, with its outcome and output."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from aiohttp import web

from services.api import cursor, jsonio, params, state
from services.api.problems import invalid_field
from services.api.routes.results import _monitor_id
from services.api.routing import Param, Route
from services.api.schemas import RunList
from services.api.stores import runs as store

OUTCOMES = ("success", "failure", "missed", "log")


async def list_runs(request: web.Request) -> web.Response:
    monitor_id = await _monitor_id(request)
    since, until = params.timestamp(request, "since"), params.timestamp(request, "until")
    if since and until and since >= until:
        raise invalid_field("until", "must be after since")
    st = state.of(request)
    items, last = await store.runs(
        st.ch,
        st.settings.clickhouse_database,
        monitor_id,
        limit=params.limit(request),
        since=since,
        until=until,
        outcome=params.choice(request, "outcome", OUTCOMES),
        before=cursor.decode(params.text(request, "cursor"), tuple[datetime, str]),
    )
    return jsonio.reply(RunList(items, cursor.encode(*last) if last else None))


ROUTES = [
    Route(
        "GET",
        "/api/v1/monitors/{id}/runs",
        list_runs,
        "Runs of a job monitor (and the lines it logged), newest first.",
        operation="listMonitorRuns",
        scope="read",
        response=RunList,
        query=(
            Param("since", datetime, "Only runs that ended at or after this RFC 3339 time."),
            Param("until", datetime, "Only runs that ended before this time."),
            Param(
                "outcome",
                Literal["success", "failure", "missed", "log"],
                "Only runs that ended so.",
            ),
            params.LIMIT,
            params.CURSOR,
        ),
    ),
]
