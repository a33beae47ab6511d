"""Monitor configuration: every change commits together with the outbox event
that announces it, so the scheduler sees exactly the changes that were stored."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime

from aiohttp import web

from services.api import cursor, egress_check, jsonio, monitor_edit, monitor_secrets, params, state
from services.api.problems import invalid, not_found
from services.api.routing import Param, Route
from services.api.schemas import MONITOR_STATUSES, MonitorList, MonitorStatus, MonitorView
from services.api.stores import channels as channel_store
from services.api.stores import monitors as store
from shared import egress, outbox, topology
from shared.events import MonitorDeleted, MonitorUpserted, utcnow
from shared.monitors import FieldError, Monitor, MonitorFields, MonitorPatch, validate


async def _check(
    conn, fields: MonitorFields, policy: egress.Policy, kept: Collection[str] = ()
) -> None:
    """Validate the whole monitor. Channel ids it already had are not re-checked:
    deleting a channel must not make its monitors impossible to pause or edit."""
    errors = validate(fields) + egress_check.monitor_errors(policy, fields)
    wanted = fields.channel_ids + (fields.escalation.channel_ids if fields.escalation else [])
    added = [cid for cid in wanted if cid not in kept]
    missing = await channel_store.unknown(conn, added)
    if missing:
        errors.append(FieldError("channel_ids", f"no such channel: {', '.join(missing)}"))
    if errors:
        raise invalid(errors)


def _policy(request: web.Request) -> egress.Policy:
    return egress_check.policy_of(state.of(request).settings)


def _public(request: web.Request) -> str:
    return state.of(request).settings.public_url


async def _announce(conn, monitor: Monitor) -> None:
    subject = topology.monitor_subject("upserted", monitor.id)
    await outbox.enqueue(conn, subject, MonitorUpserted(monitor=monitor))


async def create(request: web.Request) -> web.Response:
    fields = await jsonio.body(request, MonitorFields)
    keyring = state.of(request).keyring
    async with state.of(request).pool.acquire() as conn, conn.transaction():
        await _check(conn, fields, _policy(request))
        resolved = monitor_secrets.resolve(fields, None, keyring)
        monitor = resolved.stored(monitor_edit.new_monitor(resolved.sealed), keyring)
        await store.insert(conn, monitor, keyring)
        await _announce(conn, monitor)
        view = await store.view(conn, uuid.UUID(monitor.id), _public(request))
    return jsonio.reply(monitor_secrets.for_request(request, view), 201)


async def list_monitors(request: web.Request) -> web.Response:
    items, last = await store.page(
        state.of(request).pool,
        public_url=_public(request),
        limit=params.limit(request),
        tag=params.text(request, "tag"),
        status=params.choice(request, "status", MONITOR_STATUSES),
        after=cursor.decode(params.text(request, "cursor"), tuple[datetime, uuid.UUID]),
    )
    items = [monitor_secrets.for_request(request, v) for v in items]
    return jsonio.reply(MonitorList(items, cursor.encode(*last) if last else None))


async def get_monitor(request: web.Request) -> web.Response:
    view = await store.view(
        state.of(request).pool, params.path_id(request, "monitor"), _public(request)
    )
    if view is None:
        raise not_found("monitor")
    return jsonio.reply(monitor_secrets.for_request(request, view))


async def _edit(request: web.Request, change) -> web.Response:
    """Lock the monitor, compute its new fields, and store + announce them if they differ."""
    monitor_id = params.path_id(request, "monitor")
    keyring = state.of(request).keyring
    async with state.of(request).pool.acquire() as conn, conn.transaction():
        current = await store.lock(conn, monitor_id)
        if current is None:
            raise not_found("monitor")
        resolved = monitor_secrets.resolve(change(current), current, keyring)
        updated = resolved.stored(monitor_edit.revised(current, resolved.sealed), keyring)
        if (
            monitor_edit.fields_of(updated) != monitor_edit.fields_of(current)
            or updated.target_sealed != current.target_sealed
        ):
            await _check(conn, resolved.plain, _policy(request), kept=current.channel_ids)
            await store.save(conn, updated, keyring)
            await _announce(conn, updated)
        view = await store.view(conn, monitor_id, _public(request))
    return jsonio.reply(monitor_secrets.for_request(request, view))


async def patch_monitor(request: web.Request) -> web.Response:
    patch = await jsonio.body(request, MonitorPatch)
    return await _edit(request, lambda current: monitor_edit.merge(current, patch))


async def pause(request: web.Request) -> web.Response:
    return await _edit(request, lambda current: monitor_edit.with_paused(current, True))


async def resume(request: web.Request) -> web.Response:
    return await _edit(request, lambda current: monitor_edit.with_paused(current, False))


async def delete_monitor(request: web.Request) -> web.Response:
    monitor_id = params.path_id(request, "monitor")
    async with state.of(request).pool.acquire() as conn, conn.transaction():
        current = await store.lock(conn, monitor_id)
        if current is None:
            raise not_found("monitor")
        version = await store.soft_delete(conn, current, utcnow())
        event = MonitorDeleted(monitor_id=str(monitor_id), version=version)
        await outbox.enqueue(conn, topology.monitor_subject("deleted", str(monitor_id)), event)
    return jsonio.no_content()


_LIST_QUERY = (
    Param("tag", str, "Only monitors carrying this tag."),
    Param("status", MonitorStatus, "Only monitors in this status."),
    params.LIMIT,
    params.CURSOR,
)

ROUTES = [
    Route(
        "POST",
        "/api/v1/monitors",
        create,
        "Create a monitor.",
        operation="createMonitor",
        scope="write",
        body=MonitorFields,
        response=MonitorView,
        status=201,
    ),
    Route(
        "GET",
        "/api/v1/monitors",
        list_monitors,
        "List monitors in creation order.",
        operation="listMonitors",
        scope="read",
        response=MonitorList,
        query=_LIST_QUERY,
    ),
    Route(
        "GET",
        "/api/v1/monitors/{id}",
        get_monitor,
        "Get a monitor with its current status.",
        operation="getMonitor",
        scope="read",
        response=MonitorView,
    ),
    Route(
        "PATCH",
        "/api/v1/monitors/{id}",
        patch_monitor,
        "Change some fields of a monitor; a block such as `http` is replaced whole.",
        operation="updateMonitor",
        scope="write",
        body=MonitorPatch,
        response=MonitorView,
    ),
    Route(
        "DELETE",
        "/api/v1/monitors/{id}",
        delete_monitor,
        "Delete a monitor; its checks stop.",
        operation="deleteMonitor",
        scope="write",
        status=204,
    ),
    Route(
        "POST",
        "/api/v1/monitors/{id}/pause",
        pause,
        "Pause a monitor: no checks, status `paused`.",
        operation="pauseMonitor",
        scope="write",
        response=MonitorView,
    ),
    Route(
        "POST",
        "/api/v1/monitors/{id}/resume",
        resume,
        "Resume a paused monitor.",
        operation="resumeMonitor",
        scope="write",
        response=MonitorView,
    ),
]
