"""Bring a monitor stored before today's limits within them, keeping the original.

Limits on definitions (shared/bounds.py) apply where definitions enter. A monitor
stored before a limit existed (10,000 headers, a bidi control in its name) would no
longer decode, and one such row would stop the scheduler's snapshot and the api's
list. The upgrade fits every stored document once: it cuts what is too long or too
many and strips the characters now refused, the smallest change that makes the
document valid, and keeps the document as it was beside it (`doc_before_limits`),
so nothing stored is lost.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import msgspec

from shared.monitors import Monitor

_AT = re.compile(r"at `\$(.*)`$")
_LENGTH = re.compile(r"of length <= (\d+)")
_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[(\.\.\.)\]")
# msgspec names a map's entry `[...]`, not by its key: every entry is then fitted.
ANY = "..."
MAX_FIXES = 200


def fit(doc: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The document, fitted to Monitor's constraints, and what was changed (empty when it
    already fits). Raises ValueError when a problem is not one this can fit."""
    fixes: list[str] = []
    for _ in range(MAX_FIXES):
        try:
            msgspec.convert(doc, Monitor)
            return doc, fixes
        except msgspec.ValidationError as exc:
            fixes.append(_fix_one(doc, str(exc)))
    raise ValueError("too many problems to fit")


def _fix_one(doc: dict[str, Any], message: str) -> str:
    where = _AT.search(message)
    if where is None:
        raise ValueError(message)
    path = _path(where.group(1))
    bound = _LENGTH.search(message)
    if path and path[-1] == ANY:
        mapping, name = _locate(doc, path[:-1])
        mapping[name] = _fit_entries(mapping[name], bound, message)
        return f"{where.group(1)}: entries fitted"
    parent, key = _locate(doc, path)
    value = parent[key]
    if bound and isinstance(value, str | list | dict):
        most = int(bound.group(1))
        if isinstance(value, dict):
            parent[key] = dict(list(value.items())[:most])
        else:
            parent[key] = value[:most]
        return f"{where.group(1) or '$'}: cut to {most}"
    if "matching regex" in message and isinstance(value, str):
        cleaned = _fit_text(value, None)
        if cleaned == value:
            raise ValueError(message)
        parent[key] = cleaned
        return f"{where.group(1)}: control characters removed"
    raise ValueError(message)


def _fit_text(text: str, bound: re.Match | None) -> str:
    if bound:
        return text[: int(bound.group(1))]
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf"))


def _fit_entries(mapping: dict, bound: re.Match | None, message: str) -> dict:
    """Fit every string value of a map; if that changes nothing, its keys."""
    values = {k: _fit_text(v, bound) if isinstance(v, str) else v for k, v in mapping.items()}
    if values != mapping:
        return values
    keys = {_fit_text(k, bound): v for k, v in mapping.items()}
    if keys == mapping:
        raise ValueError(message)
    return keys


def _path(text: str) -> list[str | int]:
    steps: list[str | int] = []
    for name, index, entry in _STEP.findall(text):
        steps.append(int(index) if index else (name or entry))
    return steps


def _locate(doc: Any, path: list[str | int]) -> tuple[Any, str | int]:
    if not path:
        raise ValueError("the whole document is invalid")
    node = doc
    for step in path[:-1]:
        node = node[step]
    return node, path[-1]


async def fit_all(conn) -> int:
    """Fit every live stored monitor; returns how many changed."""
    await conn.execute("ALTER TABLE monitors ADD COLUMN IF NOT EXISTS doc_before_limits jsonb")
    changed = 0
    rows = await conn.fetch("SELECT id, doc::text AS doc FROM monitors WHERE deleted_at IS NULL")
    for row in rows:
        try:
            fitted, fixes = fit(msgspec.json.decode(row["doc"]))
        except ValueError:
            continue  # not a limit problem: left exactly as it is
        if not fixes:
            continue
        await conn.execute(
            "UPDATE monitors SET doc_before_limits = doc, doc = $2::jsonb, tags = $3 WHERE id = $1",
            row["id"],
            msgspec.json.encode(fitted).decode(),
            list(fitted.get("tags") or []),
        )
        changed += 1
    return changed
