"""The pure parts of `apply`: environment references resolved (by the CLI) or
refused (by the api), and the file's sections checked before anything is read."""

from __future__ import annotations

import pytest

from services.api.config_apply import references, resolve_env, sections
from services.api.problems import ApiError


def test_env_references_in_strings_and_from_env_objects_are_resolved():
    doc = {
        "channels": [{"config": {"url": "https://x/${ENV:HOOK}?a=1", "secret": {"from_env": "S"}}}]
    }
    resolved, errors = resolve_env(doc, {"HOOK": "hook", "S": "s3cret"})
    assert errors == []
    assert resolved["channels"][0]["config"] == {"url": "https://x/hook?a=1", "secret": "s3cret"}
    assert references(resolved) == []


def test_a_missing_variable_is_named_with_its_field():
    _, errors = resolve_env({"monitors": [{"http": {"auth": {"password": "${ENV:PW}"}}}]}, {})
    assert [(e.field, e.message) for e in errors] == [
        ("monitors[0].http.auth.password", "environment variable PW is not set")
    ]


def test_unresolved_references_are_found_for_the_api_to_refuse():
    found = references({"channels": [{"config": {"token": {"from_env": "T"}, "u": "${ENV:U}"}}]})
    assert [e.field for e in found] == ["channels[0].config.token", "channels[0].config.u"]


def test_sections_are_checked_before_anything_else():
    with pytest.raises(ApiError) as caught:
        sections({"monitors": {}, "alerts": [], "channels": [{"secret": {"from_env": "X"}}]})
    fields = [e.field for e in caught.value.problem.errors]
    assert fields == ["alerts", "monitors", "channels[0].secret"]
    assert sections({"monitors": [{"name": "a"}]})["status_pages"] == []
