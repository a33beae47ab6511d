"""The generated OpenAPI document: valid OpenAPI 3.1, one unique operationId and
one declared tag per operation."""

from __future__ import annotations

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


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("POST", "/api/v1/monitors", "postV1Monitors"),
        ("DELETE", "/api/v1/channels/{id}", "deleteV1ChannelsById"),
        ("POST", "/api/v1/config:apply", "postV1ConfigApply"),
        ("GET", "/api/v1/push/{token}/{signal}", "getV1PushByTokenBySignal"),
        ("GET", "/api/v1/status/{slug}", "getV1StatusBySlug"),
        ("GET", "/status/{slug}", "getStatusBySlug"),
        ("GET", "/badge/{id}/status.svg", "getBadgeByIdStatusSvg"),
        ("GET", "/", "getRoot"),
        ("GET", "/ui", "getUi"),
        ("GET", "/ui/", "getUiIndex"),
    ],
)
def test_operation_ids_come_from_the_method_and_path(method, path, expected):
    assert openapi.operation_id(method, path) == expected


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
        Route("GET", "/api/v1/monitors/a-b", _handler, "One."),
        Route("GET", "/api/v1/monitors/a/b", _handler, "Another."),
    ]

    with pytest.raises(ValueError, match="getV1MonitorsAB"):
        openapi.build(twins)


def test_a_path_with_no_declared_tag_fails_the_build():
    with pytest.raises(ValueError, match="no tag"):
        openapi.build([Route("GET", "/api/v1/widgets", _handler, "Widgets.")])


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
