"""The generated OpenAPI document: valid OpenAPI 3.1, one unique operationId named
verb + resource and one declared tag per operation."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from aiohttp import web
from openapi_spec_validator import validate

from services.api import openapi, routes
from services.api.routing import Route


async def _handler(request: web.Request) -> web.Response:
    return web.Response()


def _operations(doc: dict) -> list[dict]:
    return [op for ops in doc["paths"].values() for op in ops.values()]


def test_the_whole_document_is_valid_openapi():
    validate(openapi.build(routes.ALL))


def test_every_operation_id_is_unique():
    ids = Counter(op["operationId"] for op in _operations(openapi.build(routes.ALL)))

    assert [i for i, n in ids.items() if n > 1] == []


def test_every_operation_has_one_tag_declared_at_the_top_with_a_description():
    doc = openapi.build(routes.ALL)
    declared = [t["name"] for t in doc["tags"]]

    assert len(declared) == len(set(declared))
    assert all(t["description"] for t in doc["tags"])
    for op in _operations(doc):
        assert len(op["tags"]) == 1 and op["tags"][0] in declared, op["operationId"]
    # Every declared tag is used by some operation.
    assert set(declared) == {op["tags"][0] for op in _operations(doc)}


def test_every_operation_id_is_a_declared_verb_then_its_resource_in_lower_camel_case():
    for op in _operations(openapi.build(routes.ALL)):
        verb, *resource = re.split(r"(?=[A-Z])", op["operationId"])
        assert verb in openapi.VERBS, op["operationId"]
        assert all(re.fullmatch(r"[A-Z][a-z]+", word) for word in resource), op["operationId"]


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("POST", "/api/v1/monitors", "createMonitor"),
        ("GET", "/api/v1/monitors", "listMonitors"),
        ("PATCH", "/api/v1/monitors/{id}", "updateMonitor"),
        ("POST", "/api/v1/monitors/{id}/pause", "pauseMonitor"),
        ("GET", "/api/v1/monitors/{id}/results", "listMonitorResults"),
        ("POST", "/api/v1/incidents/{id}/ack", "acknowledgeIncident"),
        ("DELETE", "/api/v1/api-keys/{id}", "revokeApiKey"),
        ("POST", "/api/v1/config:apply", "applyConfig"),
        # The JSON a client reads and the page a browser shows.
        ("GET", "/api/v1/status/{slug}", "getStatusPage"),
        ("GET", "/status/{slug}", "renderStatusPage"),
        ("GET", "/badge/{id}/status.svg", "renderStatusBadge"),
        ("GET", "/ui/{name}", "getDashboardAsset"),
        # Pushes by GET are there for tools that cannot post.
        ("POST", "/api/v1/push/{token}", "pushHeartbeat"),
        ("GET", "/api/v1/push/{token}", "pushHeartbeatViaGet"),
        ("GET", "/api/v1/push/{ping_key}/{slug}/{signal}", "pushSignalBySlugViaGet"),
    ],
)
def test_operations_are_named_for_what_they_do(method, path, expected):
    assert openapi.build(routes.ALL)["paths"][path][method.lower()]["operationId"] == expected


@pytest.mark.parametrize(
    ("path", "tag"),
    [
        ("/api/v1/monitors/{id}/results", "monitors"),
        ("/api/v1/monitors:summary", "monitors"),
        ("/api/v1/ops/dlq:retry", "ops"),
        ("/api/v1/status/{slug}", "status-pages"),
        ("/status/{slug}", "status-pages"),
        ("/api/v1/imports", "config"),
        ("/healthz", "probes"),
        ("/metrics/monitors", "probes"),
        ("/", "dashboard"),
    ],
)
def test_tags_come_from_the_first_resource_of_the_path(path, tag):
    assert openapi.tag_of(path) == tag


def test_a_repeated_operation_id_fails_the_build():
    twins = [
        Route("GET", "/api/v1/monitors/{id}", _handler, "One.", operation="getMonitor"),
        Route("GET", "/api/v1/monitors/{id}/a", _handler, "Another.", operation="getMonitor"),
    ]

    with pytest.raises(ValueError, match="'getMonitor' of both"):
        openapi.build(twins)


@pytest.mark.parametrize(
    "operation",
    ["postV1Monitors", "getV1Monitors", "frobnicateMonitor", "CreateMonitor", "create_monitor", ""],
)
def test_an_operation_id_that_is_not_a_verb_and_resource_fails_the_build(operation):
    route = Route("POST", "/api/v1/monitors", _handler, "Create.", operation=operation)

    with pytest.raises(ValueError, match="not a verb"):
        openapi.build([route])


def test_a_path_with_no_declared_tag_fails_the_build():
    with pytest.raises(ValueError, match="no tag"):
        openapi.build([Route("GET", "/api/v1/widgets", _handler, "W.", operation="listWidgets")])


def _subschemas(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _subschemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _subschemas(value)


def test_fixed_length_tuples_have_no_boolean_items_schema_generators_refuse():
    tuples = [s for s in _subschemas(openapi.build(routes.ALL)["components"]) if "prefixItems" in s]

    assert tuples, "the document has tuple schemas (ops history points)"
    for schema in tuples:
        assert "items" not in schema and schema["maxItems"] == len(schema["prefixItems"])


def test_an_open_tuple_keeps_its_items_schema():
    schema = {"type": "array", "prefixItems": [{"type": "integer"}], "items": False}

    assert openapi._without_closed_tuples(schema) == schema


def test_structs_of_one_name_get_distinct_schema_names_and_titles():
    schemas = openapi.build(routes.ALL)["components"]["schemas"]
    titles = Counter(s.get("title", name) for name, s in schemas.items())

    assert [t for t, n in titles.items() if n > 1] == []
    assert all("." not in name for name in schemas)
    assert {"AnomalyChange", "ConfigApplyChange"} <= schemas.keys()
    refs = {s["$ref"] for s in _subschemas(openapi.build(routes.ALL)) if "$ref" in s}
    assert {r.rsplit("/", 1)[1] for r in refs} <= schemas.keys()
