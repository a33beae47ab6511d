"""Analysis on demand: the anomaly detectors run now, and a monitor's trends."""

from __future__ import annotations

import uuid

from aiohttp import web
from msgspec import Struct

from services.api import jsonio, params, state
from services.api.problems import not_found
from services.api.routing import Param, Route
from services.api.stores import monitors as monitor_store
from shared import analysis, anomaly_data
from shared.analysis import Analysis, Trends, TrendWindow


class AnalysisBody(Struct, kw_only=True, forbid_unknown_fields=True):
    # One monitor, or every monitor with anomaly detection on.
    monitor_id: uuid.UUID | None = None


async def run_analysis(request: web.Request) -> web.Response:
    raw = await request.read()
    body = jsonio.decode(raw, AnalysisBody) if raw.strip() else AnalysisBody()
    monitor_id = body.monitor_id
    st = state.of(request)
    monitors = await monitor_store.analysed(st.pool, monitor_id)
    unknown = monitor_id is not None and not monitors
    if unknown and not await monitor_store.exists(st.pool, monitor_id):
        raise not_found("monitor")
    spans = anomaly_data.spans_of(st.settings, 1)
    found = await analysis.analyse(st.ch, st.settings.clickhouse_database, monitors, spans)
    return jsonio.reply(found)


async def get_trends(request: web.Request) -> web.Response:
    monitor_id = params.path_id(request, "monitor")
    st = state.of(request)
    if not await monitor_store.exists(st.pool, monitor_id):
        raise not_found("monitor")
    window = params.choice(request, "window", analysis.TREND_WINDOWS) or "24h"
    found = await analysis.trends(st.ch, st.settings.clickhouse_database, str(monitor_id), window)
    return jsonio.reply(found)


ROUTES = [
    Route(
        "POST",
        "/api/v1/analysis",
        run_analysis,
        "Run the anomaly detectors now (nothing opens or resolves): anomalies by metric"
        " and severity, monitors analysed, warnings.",
        operation="runAnalysis",
        scope="read",
        body=AnalysisBody,
        body_required=False,
        response=Analysis,
    ),
    Route(
        "GET",
        "/api/v1/monitors/{id}/trends",
        get_trends,
        "Latency, failure rate and checks against the previous period, with a trend word.",
        operation="getMonitorTrends",
        scope="read",
        response=Trends,
        query=(Param("window", TrendWindow, "The period to compare (default 24h)."),),
    ),
]
