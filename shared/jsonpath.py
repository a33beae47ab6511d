"""A small JSONPath subset for HTTP JSON assertions: `$`, `.name`, `['name']`, `[index]`.

Parsed once (the API validates with it; the executor evaluates with it), so a
path that is accepted is a path that can be evaluated.
"""

from __future__ import annotations

import re
from typing import Any

_STEP = re.compile(
    r"""\.(?P<name>[A-Za-z_][A-Za-z0-9_-]*)"""
    r"""|\[(?P<index>-?\d+)\]"""
    r"""|\[(?P<q>['"])(?P<key>(?:(?!(?P=q)).)*)(?P=q)\]"""
)

Step = str | int


class PathError(ValueError):
    pass


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def parse(path: str) -> tuple[Step, ...]:
    if not path.startswith("$"):
        raise PathError("must start with $")
    steps: list[Step] = []
    pos = 1
    while pos < len(path):
        m = _STEP.match(path, pos)
        if m is None:
            raise PathError(f"unexpected {path[pos:]!r} at position {pos}")
        if m["name"] is not None:
            steps.append(m["name"])
        elif m["index"] is not None:
            steps.append(int(m["index"]))
        else:
            steps.append(m["key"])
        pos = m.end()
    return tuple(steps)


def evaluate(doc: Any, steps: tuple[Step, ...]) -> Any:
    """The value at the path, or MISSING when any step does not exist."""
    for step in steps:
        if isinstance(step, int):
            if not isinstance(doc, list) or not -len(doc) <= step < len(doc):
                return MISSING
        elif not isinstance(doc, dict) or step not in doc:
            return MISSING
        doc = doc[step]
    return doc
