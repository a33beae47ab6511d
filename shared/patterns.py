"""User regexes, on RE2: matching time is linear in the body, so no pattern can
stall a loop by backtracking (Python's `re` takes seconds on `(a+)+$` against
25 `a` and a `!`). The api validates with the same engine and limits as the
executor runs, so a pattern that was accepted always compiles there."""

from __future__ import annotations

import functools

import re2

# Longer patterns are refused before RE2 sees them; 1 KiB covers any real check.
MAX_LENGTH = 1024
# RE2's own budget for the compiled program and its DFA cache: a pattern such as
# `(x{100}){100}` is refused at compile time instead of eating memory.
MAX_MEM = 1 << 20

_OPTIONS = re2.Options()
_OPTIONS.max_mem = MAX_MEM
_OPTIONS.log_errors = False


class PatternError(ValueError):
    pass


@functools.lru_cache(maxsize=4096)
def compiled(pattern: str) -> re2._Regexp:
    """The RE2 program of `pattern`; raises PatternError when it is too long or invalid."""
    if len(pattern) > MAX_LENGTH:
        raise PatternError(f"must be at most {MAX_LENGTH} characters")
    try:
        return re2.compile(pattern, _OPTIONS)
    except re2.error as exc:
        reason = exc.args[0].decode(errors="replace") if exc.args else str(exc)
        raise PatternError(f"invalid or too complex for RE2: {reason}") from None


def problem(pattern: str) -> str | None:
    try:
        compiled(pattern)
    except PatternError as exc:
        return str(exc)
    return None


def search(pattern: str, text: str) -> bool:
    return compiled(pattern).search(text) is not None
