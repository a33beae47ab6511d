"""GET /api/v1/monitor-kinds: the kind registry as the dashboard's form and clients read it."""

from __future__ import annotations

import msgspec
from aiohttp import web

from services.api import jsonio
from services.api.routing import Route
from services.api.schemas import MonitorFormField, MonitorKindList, MonitorKindView, MonitorTarget
from shared.kinds import REGISTRY
from shared.kinds.base import MonitorKind


def _view(kind: MonitorKind) -> MonitorKindView:
    # Every default, even those the block's encoding leaves out (omit_defaults).
    defaults = msgspec.to_builtins(msgspec.structs.asdict(kind.options()))
    return MonitorKindView(
        kind=kind.name,
        title=kind.title,
        summary=kind.summary,
        target=MonitorTarget(
            form=kind.target,
            example=kind.target_example,
            default_port=kind.default_port,
            schemes=list(kind.url_schemes) if kind.target == "url" else [],
        ),
        probed=kind.probe is not None,
        fields=[
            MonitorFormField(
                name=f.name,
                label=f.label,
                input=f.input,
                choices=list(f.choices),
                placeholder=f.placeholder,
                help=f.help,
                default=defaults.get(f.name),
            )
            for f in kind.form
        ],
        secrets=list(kind.secrets),
        error_kinds=sorted(kind.error_kinds),
        preselected=kind.preselected,
    )


KINDS = MonitorKindList(items=[_view(k) for k in REGISTRY.values()])


async def monitor_kinds(_request: web.Request) -> web.Response:
    return jsonio.reply(KINDS)


ROUTES = [
    Route(
        "GET",
        "/api/v1/monitor-kinds",
        monitor_kinds,
        "The monitor kinds: how each target reads, the fields of its options block with"
        " their defaults, which are secrets, and the error kinds its check reports.",
        operation="listMonitorKinds",
        scope="read",
        response=MonitorKindList,
    ),
]
