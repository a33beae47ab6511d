"""The OpenAPI 3.1 document, generated from the route declarations and the very
msgspec structs the handlers decode and encode."""

from __future__ import annotations

import re
from importlib import metadata
from typing import Any

import msgspec

from services.api.problems import PROBLEM_TYPE, Problem
from services.api.routing import Route

REF = "#/components/schemas/{name}"
_PATH_PARAM = re.compile(r"{(\w+)}")
API_PREFIX = "/api/v1"
# An operationId is one of these verbs and then its resource in lowerCamelCase
# (listMonitorResults). A verb outside the list is more often a path word that
# slipped in (postV1Monitors) than a new kind of action; a new action adds its verb.
VERBS = (
    "get",
    "list",
    "create",
    "update",
    "delete",
    "pause",
    "resume",
    "acknowledge",
    "resolve",
    "revoke",
    "test",
    "preview",
    "retry",
    "discard",
    "purge",
    "import",
    "export",
    "apply",
    "run",
    "push",
    "render",
    "redirect",
    "login",
    "logout",
    "move",
)
_OPERATION_ID = re.compile(rf"(?:{'|'.join(VERBS)})(?:[A-Z][a-z]+)*")

# Every operation has one tag, named after the resource its path starts with; the
# document lists them in this order. A path under a resource missing here fails
# build(), so a new resource comes with its description.
TAGS: dict[str, str] = {
    "monitors": "Monitors: definitions, their results, runs, stats and trends.",
    "channels": "Notification channels alerts are sent through.",
    "incidents": "Incidents opened and resolved from monitor state.",
    "maintenance": "Maintenance windows that silence alerts.",
    "status-pages": "Public status pages and their JSON.",
    "analysis": "Anomaly detection over recent results.",
    "config": "Declarative configuration and imports from other tools.",
    "push": "Heartbeats and job signals pushed by the monitored side.",
    "ops": "Operating upmon: queues, services, NATS leaders, dead letters, capacity, history.",
    "auth": "Dashboard sessions: log in and out.",
    "users": "Users and their passwords.",
    "api-keys": "API keys and their scopes.",
    "ping-keys": "Ping keys: one secret for a fleet of jobs that ping by slug.",
    "badges": "SVG badges of a monitor's status and uptime.",
    "probes": "Liveness, readiness and Prometheus metrics.",
    "meta": "This API describing itself.",
    "dashboard": "The web dashboard.",
}
# First path segments whose tag is not named the same.
_TAG_OF = {
    "status": "status-pages",
    "channel-kinds": "channels",
    "monitor-kinds": "monitors",
    "imports": "config",
    "badge": "badges",
    "healthz": "probes",
    "readyz": "probes",
    "metrics": "probes",
    "health": "probes",
    "openapi.json": "meta",
    "docs": "meta",
    "": "dashboard",
    "ui": "dashboard",
}


def _version() -> str:
    try:
        return metadata.version("upmon")
    except metadata.PackageNotFoundError:
        return "0"


def _bodies(routes: list[Route]) -> list[Any]:
    found = [Problem]
    for route in routes:
        found.extend(t for t in (route.body, route.response) if t is not None and t not in found)
    return found


def _json(schema: dict[str, Any], media_type: str = "application/json") -> dict[str, Any]:
    return {media_type: {"schema": schema}}


def _parameters(route: Route) -> list[dict[str, Any]]:
    patterns = dict(route.patterns)
    found = [
        {"name": name, "in": "path", "required": True, "schema": _path_schema(patterns, name)}
        for name in _PATH_PARAM.findall(route.path)
    ]
    found.extend(
        {
            "name": p.name,
            "in": "query",
            "required": p.required,
            "description": p.description,
            "schema": msgspec.json.schema(p.type),
        }
        for p in route.query
    )
    return found


def _path_schema(patterns: dict[str, str], name: str) -> dict[str, Any]:
    if name in patterns:
        return {"type": "string", "pattern": f"^{patterns[name]}$"}
    return {"type": "string"}


def _responses(route: Route, refs: dict[Any, dict[str, Any]]) -> dict[str, Any]:
    ok: dict[str, Any] = {"description": "Success"}
    if 300 <= route.status < 400:
        # A redirect: what matters is its Location; a body, if any, is incidental.
        ok["description"] = "Redirect"
    elif route.response is not None:
        ok["content"] = _json(refs[route.response])
        ok["content"].update({m: {"schema": refs[route.response]} for m in route.also_media_types})
    elif route.status != 204:
        media = (route.media_type, *route.also_media_types)
        ok["content"] = {m: {"schema": {"type": "string"}} for m in media}
    found = {str(route.status): ok}
    found.update({str(s): {**ok, "description": "The same body"} for s in route.also_status})
    found["default"] = {"description": "A problem", "content": _json(refs[Problem], PROBLEM_TYPE)}
    return found


def tag_of(path: str) -> str:
    rest = path.removeprefix(API_PREFIX) if path.startswith(API_PREFIX + "/") else path
    first = rest.lstrip("/").split("/", 1)[0].split(":", 1)[0]
    tag = _TAG_OF.get(first, first)
    if tag not in TAGS:
        raise ValueError(f"{path}: no tag for {first!r}; declare it in openapi.TAGS")
    return tag


def _operation(route: Route, refs: dict[Any, dict[str, Any]]) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": route.operation,
        "tags": [tag_of(route.path)],
        "summary": route.summary,
        "parameters": _parameters(route),
        "responses": _responses(route, refs),
    }
    if route.body is not None:
        op["requestBody"] = {"required": route.body_required, "content": _json(refs[route.body])}
    if route.scope is not None:
        op["security"] = [{"bearer": []}]
        op["x-required-scope"] = route.scope
    return op


def _without_closed_tuples(node: Any) -> Any:
    """msgspec closes a fixed-length tuple with `"items": false` beside its
    prefixItems. That is valid JSON Schema 2020-12, but client generators (as
    openapi-python-client) refuse a boolean schema; where maxItems already equals
    the number of prefixItems it adds nothing, so it is left out there."""
    if isinstance(node, list):
        return [_without_closed_tuples(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _without_closed_tuples(v) for k, v in node.items()}
    prefix = out.get("prefixItems")
    if out.get("items") is False and prefix is not None and out.get("maxItems") == len(prefix):
        del out["items"]
    return out


def _unique_names(components: dict[str, Any]) -> dict[str, str]:
    """msgspec names two structs of one name after their modules
    (`shared.anomaly.Change`); generators name classes after the title, so both
    would be `Change`. Each gets its module's last word as a prefix instead
    (`AnomalyChange`), used as key and title alike."""
    renamed = {}
    for name in components:
        if "." in name:
            module, _, struct = name.rpartition(".")
            words = module.rpartition(".")[2].split("_")
            renamed[name] = "".join(w[:1].upper() + w[1:] for w in words) + struct
    clash = set(renamed.values()) & (components.keys() - renamed.keys())
    if clash or len(set(renamed.values())) < len(renamed):
        raise ValueError(f"schema names still collide after renaming: {sorted(renamed)}")
    return renamed


def _rename_refs(node: Any, renamed: dict[str, str]) -> Any:
    if isinstance(node, list):
        return [_rename_refs(n, renamed) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _rename_refs(v, renamed) for k, v in node.items()}
    ref = out.get("$ref")
    if isinstance(ref, str) and ref.startswith(REF.format(name="")):
        name = ref.removeprefix(REF.format(name=""))
        out["$ref"] = REF.format(name=renamed.get(name, name))
    return out


def _named(components: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    renamed = _unique_names(components)
    out = {}
    for name, schema in components.items():
        new = renamed.get(name, name)
        out[new] = {**schema, "title": new} if name in renamed else schema
    return out, renamed


def build(routes: list[Route]) -> dict[str, Any]:
    types = _bodies(routes)
    schemas, components = msgspec.json.schema_components(types, ref_template=REF)
    components, renamed = _named(_without_closed_tuples(components))
    refs = dict(zip(types, schemas, strict=True))
    paths: dict[str, dict[str, Any]] = {}
    seen: dict[str, str] = {}
    for route in routes:
        op = _operation(route, refs)
        where, op_id = f"{route.method} {route.path}", op["operationId"]
        if not _OPERATION_ID.fullmatch(op_id):
            raise ValueError(f"operationId {op_id!r} of {where} is not a verb of VERBS + resource")
        if op_id in seen:
            raise ValueError(f"operationId {op_id!r} of both {seen[op_id]} and {where}")
        seen[op_id] = where
        paths.setdefault(route.path, {})[route.method.lower()] = op
    used = {op["tags"][0] for ops in paths.values() for op in ops.values()}
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "upmon API", "version": _version()},
        "tags": [{"name": t, "description": d} for t, d in TAGS.items() if t in used],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
    return _rename_refs(doc, renamed)
