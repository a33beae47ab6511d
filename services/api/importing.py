"""Running an importer: map the tool's export (pure, services.api.importers), then
create its channels and monitors through the same validation and stores as the API,
in one transaction: everything that maps is stored, or nothing is."""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from services.api import channel_config
from services.api.importers import MappedMonitor, Mapping, SourceError, mapper
from services.api.problems import ApiError, invalid
from services.api.stores import channels as channel_store
from shared.monitors import FieldError
from shared.sealing import Keyring

Source = Literal["uptime-kuma", "gatus", "healthchecks"]


class ImportedChannel(msgspec.Struct, kw_only=True):
    name: str
    kind: str
    id: str | None = None


class ImportedItem(msgspec.Struct, kw_only=True, omit_defaults=True):
    source: str
    outcome: Literal["created", "would be created", "not mappable"]
    reason: str | None = None
    kind: str | None = None
    monitor_id: str | None = None
    push_url: str | None = None
    notes: list[str] = []


class ImportReport(msgspec.Struct, kw_only=True):
    source: Source
    dry_run: bool
    created: int
    not_mappable: int
    items: list[ImportedItem]
    channels: list[ImportedChannel]
    # Parts of the export left out that are not monitors (e.g. notification kinds).
    skipped: list[str] = []


class _DryRun(Exception):
    pass


def mapped(source: str, doc: Any) -> Mapping:
    try:
        return mapper(source)(doc)
    except SourceError as exc:
        raise ApiError(422, "Not an export of this tool", f"{source}: {exc}") from None


async def _channels(conn, found: Mapping, keyring: Keyring) -> dict[str, str]:
    """Create the mapped channels; their ids by ref. Errors name channels[i].field."""
    errors: list[FieldError] = []
    ids: dict[str, str] = {}
    for i, c in enumerate(found.channels):
        try:
            config = channel_config.sealed(c.kind, channel_config.parse(c.kind, c.config), keyring)
        except ApiError as exc:
            errors += [
                FieldError(f"channels[{i}].{e.field}", e.message) for e in exc.problem.errors
            ]
            continue
        ids[c.ref] = (await channel_store.insert(conn, c.name, c.kind, config)).id
    if errors:
        raise invalid(errors)
    return ids


def _doc(m: MappedMonitor, channel_ids: dict[str, str]) -> dict:
    assert m.monitor is not None
    ids = [channel_ids[r] for r in m.channels if r in channel_ids]
    return {**m.monitor, "channel_ids": ids} if ids else m.monitor


async def run(
    conn,
    source: Source,
    doc: Any,
    public_url: str,
    keyring: Keyring,
    dry_run: bool,
    scope: str = "admin",
) -> ImportReport:
    # Imported here: the routes package imports this module for its route.
    from services.api.routes import monitors_io

    found = mapped(source, doc)
    good = [m for m in found.monitors if m.monitor is not None]
    # Errors name the item by its place in the report, which lists every item.
    place = {id(m): i for i, m in enumerate(found.monitors)}
    label = {i: f"items[{place[id(m)]}]" for i, m in enumerate(good)}
    result = None
    try:
        async with conn.transaction():
            channel_ids = await _channels(conn, found, keyring)
            if good:
                docs = [_doc(m, channel_ids) for m in good]
                result = await monitors_io.import_docs(
                    conn, docs, public_url, keyring, label.__getitem__, scope=scope
                )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return _report(source, found, good, result, channel_ids, dry_run)


def _report(source, found: Mapping, good, result, channel_ids, dry_run) -> ImportReport:
    views = {id(m): v for m, v in zip(good, result.items if result else [], strict=False)}
    items = []
    for m in found.monitors:
        if m.monitor is None:
            items.append(ImportedItem(source=m.source, outcome="not mappable", reason=m.reason))
            continue
        view = views.get(id(m))
        items.append(
            ImportedItem(
                source=m.source,
                outcome="would be created" if dry_run else "created",
                kind=m.monitor.get("kind"),
                monitor_id=None if dry_run or view is None else view.id,
                push_url=None if dry_run or view is None else view.push_url,
                notes=m.notes,
            )
        )
    channels = [
        ImportedChannel(name=c.name, kind=c.kind, id=None if dry_run else channel_ids.get(c.ref))
        for c in found.channels
    ]
    return ImportReport(
        source=source,
        dry_run=dry_run,
        created=0 if dry_run else len(good),
        not_mappable=len(found.monitors) - len(good),
        items=items,
        channels=channels,
        skipped=found.skipped,
    )
