"""Monitors in bulk: import a JSON or YAML list all-or-nothing, export them all.

An import validates every item before storing any, reports every error with the
item's index (`items[3].interval_s`), and stores the whole list with its outbox
events in one transaction. `upmon monitors import|export` call the same functions."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Literal

import msgspec
import yaml
from aiohttp import web

from services.api import documents, monitor_edit, monitor_secrets, params, state
from services.api.auth import PRINCIPAL
from services.api.jsonio import reply
from services.api.problems import ApiError, field_error, invalid
from services.api.routing import Param, Route
from services.api.schemas import MonitorView
from services.api.stores import channels as channel_store
from services.api.stores import monitors as store
from shared import outbox, topology
from shared.events import MonitorUpserted
from shared.monitors import FieldError, Monitor, MonitorFields, validate
from shared.sealing import Keyring

MAX_ITEMS = 1000
FORMATS = ("json", "yaml")
SECRETS = ("mask", "include")
Label = Callable[[int], str]


def item_label(i: int) -> str:
    return f"items[{i}]"


class ImportResult(msgspec.Struct):
    created: int
    items: list[MonitorView]


# Larger documents are parsed in a worker process: in a thread, the parser would still
# hold the GIL and slow every other request (a 1 MB YAML takes about a second).
_INLINE_BYTES = 64 * 1024
_pool: ProcessPoolExecutor | None = None


def _refusal(kind: str, reason: Any) -> ApiError:
    if kind == "deep":
        return invalid([FieldError("body", f"is nested deeper than {documents.MAX_DEPTH} levels")])
    detail = f"the body is not valid JSON or YAML: {reason}"
    return ApiError(400, "Malformed document", detail, [FieldError("body", reason)])


def parse(raw: bytes, fmt: documents.Format = None) -> Any:
    """A document as plain data; `fmt` None tries JSON, then YAML (a superset)."""
    kind, value = documents.outcome(raw, fmt)
    if kind != "ok":
        raise _refusal(kind, value)
    return value


def _worker() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        # spawn, not fork: forking a process with threads and open sockets is unsafe.
        _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    return _pool


async def parse_off_loop(raw: bytes, fmt: documents.Format) -> Any:
    global _pool
    if len(raw) <= _INLINE_BYTES:
        return parse(raw, fmt)
    try:
        kind, value = await asyncio.wrap_future(_worker().submit(documents.outcome, raw, fmt))
    except BrokenProcessPool:
        _pool = None
        raise ApiError(503, "Service Unavailable", "the document parser stopped; retry") from None
    if kind != "ok":
        raise _refusal(kind, value)
    return value


def _fields(doc: Any, where: str) -> tuple[MonitorFields | None, list[FieldError]]:
    try:
        fields = msgspec.convert(doc, MonitorFields)
    except msgspec.ValidationError as exc:
        return None, [field_error(exc, where)]
    prefixed = [FieldError(_join(where, e.field), e.message) for e in validate(fields)]
    return fields, prefixed


def _join(where: str, field: str) -> str:
    return f"{where}.{field}" if where else field


def _channels(fields: MonitorFields) -> list[str]:
    return fields.channel_ids + (fields.escalation.channel_ids if fields.escalation else [])


async def checked(conn, docs: Any, label: Label = item_label) -> list[MonitorFields]:
    """Every item as MonitorFields, or a 422 listing every problem of every item."""
    if not isinstance(docs, list) or not docs:
        raise invalid([FieldError("items", "must be a non-empty list of monitors")])
    if len(docs) > MAX_ITEMS:
        raise invalid([FieldError("items", f"must hold at most {MAX_ITEMS} monitors")])
    # A thousand monitors take a while to convert and check: not on the loop.
    parsed = await asyncio.to_thread(lambda: [_fields(doc, label(i)) for i, doc in enumerate(docs)])
    wanted = sorted({c for f, _ in parsed if f for c in _channels(f)})
    missing = set(await channel_store.unknown(conn, wanted))
    for i, (fields, errors) in enumerate(parsed):
        if unknown := [c for c in (_channels(fields) if fields else []) if c in missing]:
            message = f"no such channel: {', '.join(unknown)}"
            errors.append(FieldError(_join(label(i), "channel_ids"), message))
    if errors := [e for _, errs in parsed for e in errs]:
        raise invalid(errors)
    return [f for f, _ in parsed if f is not None]


def _resolved(items: list[MonitorFields], keyring: Keyring, label: Label) -> list:
    """Every item with its secrets sealed; a masked secret (from an export without
    secrets) is refused, naming the item, rather than stored as the mask."""
    resolved, errors = [], []
    for i, fields in enumerate(items):
        try:
            resolved.append(monitor_secrets.resolve(fields, None, keyring))
        except ApiError as exc:
            errors += [FieldError(_join(label(i), e.field), e.message) for e in exc.problem.errors]
    if errors:
        raise invalid(errors)
    return resolved


async def create_all(
    conn, items: list[MonitorFields], keyring: Keyring, label: Label = item_label
) -> list[Monitor]:
    """Store and announce; the caller holds the transaction that makes it all-or-nothing."""

    def build() -> list[Monitor]:
        return [
            r.stored(monitor_edit.new_monitor(r.sealed), keyring)
            for r in _resolved(items, keyring, label)
        ]

    # Sealing a thousand monitors' secrets is tens of milliseconds of CPU: not on the loop.
    monitors = await asyncio.to_thread(build)
    for i, monitor in enumerate(monitors):
        try:
            await store.insert(conn, monitor, keyring)
        except ApiError as exc:  # a taken slug: named with its item
            problem = exc.problem
            errors = [FieldError(_join(label(i), e.field), e.message) for e in problem.errors]
            raise ApiError(problem.status, problem.title, problem.detail, errors) from None
    await outbox.enqueue_many(
        conn,
        [
            (topology.monitor_subject("upserted", m.id), MonitorUpserted(monitor=m))
            for m in monitors
        ],
    )
    return monitors


async def import_docs(
    conn,
    docs: Any,
    public_url: str,
    keyring: Keyring,
    label: Label = item_label,
    scope: str = "admin",
) -> ImportResult:
    async with conn.transaction():
        monitors = await create_all(conn, await checked(conn, docs, label), keyring, label)
        views = [await store.view(conn, uuid.UUID(m.id), public_url) for m in monitors]
    shown = await asyncio.to_thread(
        lambda: [monitor_secrets.present(v, scope, keyring, public_url) for v in views if v]
    )
    return ImportResult(len(shown), shown)


async def export_fields(conn, keyring: Keyring, include: bool = False) -> list[MonitorFields]:
    """Every live monitor as what a user would write to create it again: credentials
    masked, or in plaintext when `include` (for admins)."""
    found: list[MonitorFields] = []
    after = None
    while True:
        views, after = await store.page(conn, public_url="", limit=500, after=after)
        found += [monitor_secrets.exported(v, keyring, include) for v in views]
        if after is None:
            return found


def render(items: list[MonitorFields], fmt: str) -> bytes:
    # Unset blocks (null) are left out so the document reads like one written by hand.
    docs = [{k: v for k, v in msgspec.to_builtins(f).items() if v is not None} for f in items]
    if fmt == "yaml":
        return yaml.safe_dump(docs, sort_keys=False, allow_unicode=True).encode()
    return json.dumps(docs, indent=2, ensure_ascii=False).encode() + b"\n"


# -- routes ------------------------------------------------------------------------------


def body_format(request: web.Request) -> Literal["json", "yaml"] | None:
    kind = request.content_type
    if "yaml" in kind:
        return "yaml"
    return "json" if kind.endswith("json") else None


async def import_monitors(request: web.Request) -> web.Response:
    docs = await parse_off_loop(await request.read(), body_format(request))
    st = state.of(request)
    async with st.pool.acquire() as conn:
        result = await import_docs(
            conn, docs, st.settings.public_url, st.keyring, scope=request[PRINCIPAL].scope
        )
    return reply(result, 201)


def _include_secrets(request: web.Request) -> bool:
    """`secrets=include` is for admins: their export re-imports with its credentials."""
    if params.choice(request, "secrets", SECRETS) != "include":
        return False
    if request[PRINCIPAL].scope != "admin":
        raise ApiError(403, "Forbidden", "secrets=include needs a key with scope 'admin'")
    return True


async def export_monitors(request: web.Request) -> web.Response:
    fmt = params.choice(request, "format", FORMATS) or "json"
    include = _include_secrets(request)
    st = state.of(request)
    async with st.pool.acquire() as conn:
        items = await export_fields(conn, st.keyring, include)
    media = "application/yaml" if fmt == "yaml" else "application/json"
    return web.Response(body=render(items, fmt), content_type=media)


ROUTES = [
    Route(
        "POST",
        "/api/v1/monitors:import",
        import_monitors,
        "Create many monitors from a JSON or YAML list: all of them, or none and every error.",
        operation="importMonitors",
        scope="write",
        body=list[MonitorFields],
        response=ImportResult,
        status=201,
    ),
    Route(
        "GET",
        "/api/v1/monitors:export",
        export_monitors,
        "Every monitor as the fields that create it again (JSON or YAML); credentials"
        " are masked unless an admin asks for `secrets=include`.",
        operation="exportMonitors",
        scope="read",
        response=list[MonitorFields],
        also_media_types=("application/yaml",),
        query=(
            Param("format", Literal["json", "yaml"], "`json` (default) or `yaml`."),
            Param(
                "secrets",
                Literal["mask", "include"],
                "`mask` (default): credentials show as `********`; `include` (admin keys"
                " only): in plaintext, so that the export imports again with them.",
            ),
        ),
    ),
]
