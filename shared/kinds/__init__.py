"""Monitor kinds: each is one module of this package declaring its `KIND` (see base.py),
found here by walking the package, so adding a kind means adding its module and nothing
else. The monitor schema (shared.monitors), the api's validation and egress check, the
executor's dispatch, the secrets walk, the OpenAPI document and the dashboard's form
(through `GET /api/v1/monitor-kinds`) are all drawn from this registry."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from shared.kinds.base import MonitorKind, Options

__all__ = ["KINDS", "REGISTRY", "options_of"]

# Modules of the package that are not kinds.
_PARTS = {"base"}


def _discover() -> dict[str, MonitorKind]:
    found = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name not in _PARTS:
            kind = importlib.import_module(f"{__name__}.{info.name}").KIND
            if kind.name != info.name:
                raise RuntimeError(f"{__name__}.{info.name} declares kind {kind.name!r}")
            found[kind.name] = kind
    return found


REGISTRY: dict[str, MonitorKind] = _discover()
KINDS: tuple[str, ...] = tuple(REGISTRY)


def options_of(monitor: Any) -> Options:
    """A monitor's options block for its kind, with the kind's defaults when absent."""
    return getattr(monitor, monitor.kind) or REGISTRY[monitor.kind].options()
