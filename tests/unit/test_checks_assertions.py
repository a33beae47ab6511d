"""Pure rules of JSON assertions, certificate names and auth headers."""

from __future__ import annotations

import pytest

from shared.kinds.http import BasicAuth, BearerAuth, HttpSpec, JsonAssertion
from shared.probes import assertions
from shared.probes.http import AuthError, Page, authorization, judge


def check(doc: object, path: str, op: str, value: object = None) -> str | None:
    return assertions.first_failure(doc, [JsonAssertion(path=path, op=op, value=value)])


@pytest.mark.parametrize(
    ("actual", "expected", "equal"),
    [
        (1, 1.0, True),
        (0.5, 0.5, True),
        ("1", 1, False),
        (True, 1, False),
        (False, 0, False),
        (True, True, True),
        (None, None, True),
        (None, "null", False),
        ([1], 1, False),
        ({"a": 1}, "a", False),
    ],
)
def test_same_takes_care_of_json_types(actual, expected, equal):
    assert assertions.same(actual, expected) is equal


def test_ordering_refuses_what_is_not_a_number():
    assert (
        check({"n": "5"}, "$.n", ">", 1) == 'assertion $.n > 1 failed: actual "5" is not a number'
    )
    assert check({"n": None}, "$.n", "<=", 1) == (
        "assertion $.n <= 1 failed: actual null is not a number"
    )
    assert check({"n": 5}, "$.n", ">", 1) is None


def test_contains_on_a_string_needs_a_string():
    assert check({"s": "v15"}, "$.s", "contains", 15) == (
        'assertion $.s contains 15 failed: actual "v15" is a string, but the value is not'
    )


def test_contains_on_a_list_compares_like_equality():
    assert check({"l": [1, "2", True]}, "$.l", "contains", 1.0) is None
    assert check({"l": ["2", True]}, "$.l", "contains", 1) is not None


def test_exists_fails_only_on_a_missing_path():
    assert check({"a": None}, "$.a", "exists") is None
    assert (
        check({"a": None}, "$.b", "exists")
        == "assertion $.b exists failed: the path is not in the body"
    )


def test_a_stored_path_that_no_longer_parses_is_a_failure_not_a_crash():
    assert check({}, "status", "exists") == (
        "assertion status exists failed: invalid JSONPath: must start with $"
    )


def test_shown_cuts_long_values():
    assert assertions.shown("abc") == '"abc"'
    assert assertions.shown("x" * 200) == '"' + "x" * 79 + "... (202 characters)"


def test_decode_names_the_problem():
    with pytest.raises(assertions.NotJson, match=r"^body is not JSON: "):
        assertions.decode(b"{oops")


def test_judge_runs_assertions_after_keyword_rules():
    spec = HttpSpec(keyword="absent", json_assertions=[JsonAssertion(path="$.a", op="exists")])
    assert judge(spec, Page(status=200, body=b'{"b": 1}'), 1.0)[1] == "keyword"
    spec = HttpSpec(json_assertions=[JsonAssertion(path="$.a", op="==", value=1)])
    assert judge(spec, Page(status=200, body=b'{"a": 1.0}'), 1.0) == ("up", None, None)


def test_auth_headers():
    assert authorization(BearerAuth(token="t0k")) == "Bearer t0k"
    assert authorization(BasicAuth(username="u", password="p")) == "Basic dTpw"
    # RFC 7617: UTF-8 is the charset browsers and servers agree on.
    assert authorization(BasicAuth(username="u", password="é")) == "Basic dTrDqQ=="


@pytest.mark.parametrize(
    "auth",
    [BearerAuth(token="secret\nnext"), BasicAuth(username="secret:x", password="secret")],
)
def test_auth_errors_never_repeat_the_secret(auth):
    with pytest.raises(AuthError) as caught:
        authorization(auth)
    assert "secret" not in str(caught.value)
