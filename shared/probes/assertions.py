"""JSON assertions of HTTP checks: the decoded body judged against (path, op, value) rules."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import msgspec

from shared import egress, jsonpath
from shared.kinds.http import JsonAssertion

# Enough to recognise a value in a message without letting one body flood the result.
_SHOWN = 80


class NotJson(ValueError):
    """The body could not be decoded as JSON."""


def decode(body: bytes) -> Any:
    try:
        return msgspec.json.decode(body)
    except msgspec.DecodeError as exc:
        raise NotJson(f"body is not JSON: {exc}") from None


def first_failure(doc: Any, rules: Iterable[JsonAssertion]) -> str | None:
    """The message of the first assertion that does not hold, or None when all hold."""
    for rule in rules:
        problem = _problem(doc, rule)
        if problem is not None:
            return f"assertion {rule.path} {_stated(rule)} failed: {problem}"
    return None


def _stated(rule: JsonAssertion) -> str:
    return rule.op if rule.op == "exists" else f"{rule.op} {shown(rule.value)}"


def _problem(doc: Any, rule: JsonAssertion) -> str | None:
    try:
        actual = jsonpath.evaluate(doc, _steps(rule.path))
    except jsonpath.PathError as exc:
        return f"invalid JSONPath: {exc}"
    if actual is jsonpath.MISSING:
        return "the path is not in the body"
    return _CHECKS[rule.op](actual, rule.value)


@functools.lru_cache(maxsize=4096)
def _steps(path: str) -> tuple[jsonpath.Step, ...]:
    return jsonpath.parse(path)


def _is_number(value: Any) -> bool:
    # JSON true is not 1: bool is an int subclass in Python, but a different JSON type.
    return isinstance(value, int | float) and not isinstance(value, bool)


def same(actual: Any, expected: Any) -> bool:
    """JSON equality: 1 equals 1.0, but "1" is not 1 and true is not 1."""
    if _is_number(actual) and _is_number(expected):
        return actual == expected
    return type(actual) is type(expected) and actual == expected


def _exists(actual: Any, expected: Any) -> str | None:
    return None


def _equal(actual: Any, expected: Any) -> str | None:
    return None if same(actual, expected) else f"actual {shown(actual)}"


def _unequal(actual: Any, expected: Any) -> str | None:
    return None if not same(actual, expected) else f"actual {shown(actual)} is equal"


def _ordered(holds: Any) -> Any:
    def check(actual: Any, expected: Any) -> str | None:
        if not _is_number(actual):
            return f"actual {shown(actual)} is not a number"
        if not _is_number(expected):
            return "the expected value is not a number"
        return None if holds(actual, expected) else f"actual {shown(actual)}"

    return check


def _contains(actual: Any, expected: Any) -> str | None:
    if isinstance(actual, str):
        if not isinstance(expected, str):
            return f"actual {shown(actual)} is a string, but the value is not"
        found = expected in actual
    elif isinstance(actual, list):
        found = any(same(item, expected) for item in actual)
    else:
        return f"actual {shown(actual)} is neither a string nor a list"
    return None if found else f"actual {shown(actual)}"


_CHECKS = {
    "exists": _exists,
    "==": _equal,
    "!=": _unequal,
    "<": _ordered(lambda a, e: a < e),
    "<=": _ordered(lambda a, e: a <= e),
    ">": _ordered(lambda a, e: a > e),
    ">=": _ordered(lambda a, e: a >= e),
    "contains": _contains,
}


def shown(value: Any) -> str:
    """The value as JSON, cut short when long."""
    text = msgspec.json.encode(value).decode()
    # Control characters of the peer's answer never reach the error (JSON escapes most).
    if len(text) <= _SHOWN:
        return egress.excerpt(text, _SHOWN)
    return f"{egress.excerpt(text[:_SHOWN], _SHOWN)}... ({len(text)} characters)"
