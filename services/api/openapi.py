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
    found = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
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


def _operation(route: Route, refs: dict[Any, dict[str, Any]]) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": route.handler.__name__,
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


def build(routes: list[Route]) -> dict[str, Any]:
    types = _bodies(routes)
    schemas, components = msgspec.json.schema_components(types, ref_template=REF)
    refs = dict(zip(types, schemas, strict=True))
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, refs)
    return {
        "openapi": "3.1.0",
        "info": {"title": "upmon API", "version": _version()},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
