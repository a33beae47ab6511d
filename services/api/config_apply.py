"""Config as code: a file declares channels, monitors, status pages and maintenance
windows, keyed by name (slug for pages); applying it makes the stored set match.

Everything goes through the api's own validation and stores, and every change is in
one transaction with its outbox events: all of the file is applied, or none. Without
`prune`, what the file does not declare is left alone; with it, it is deleted.

Secrets are never written to the file as references that get stored: the CLI
resolves `${ENV:NAME}` and `{"from_env": "NAME"}` first, and a reference that
reaches the api unresolved is refused."""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Any, Literal

import msgspec

from services.api import channel_config, monitor_edit, monitor_secrets
from services.api.problems import ApiError, field_error, invalid
from services.api.schemas import ChannelCreate, MaintenanceCreate
from services.api.stores import channels as channel_store
from services.api.stores import maintenance as window_store
from services.api.stores import monitors as monitor_store
from services.api.stores import status_pages as page_store
from shared import outbox, secret_fields, topology
from shared.events import MonitorDeleted, MonitorUpserted, utcnow
from shared.monitors import FieldError, MonitorFields, effective_timeout
from shared.sealing import Keyring

Kind = Literal["channel", "monitor", "status_page", "maintenance"]
Action = Literal["create", "update", "delete"]
SECTIONS = ("channels", "monitors", "status_pages", "maintenance")
MAX_ITEMS = 1000
ENV_REF = re.compile(r"\$\{ENV:([A-Za-z_][A-Za-z0-9_]*)\}")
Name = msgspec.Meta(min_length=1, max_length=200)


class Change(msgspec.Struct, kw_only=True, omit_defaults=True):
    kind: Kind
    key: str
    action: Action
    # For updates: the top-level fields that differ.
    fields: list[str] = []


class ApplyReport(msgspec.Struct, kw_only=True):
    dry_run: bool
    prune: bool
    changes: list[Change]
    created: int
    updated: int
    deleted: int
    unchanged: int


class _DryRun(Exception):
    pass


# -- environment references (resolved by the CLI) ------------------------------------------


def resolve_env(doc: Any, env: dict[str, str], path: str = "") -> tuple[Any, list[FieldError]]:
    """`doc` with `${ENV:NAME}` and `{"from_env": "NAME"}` replaced from `env`."""
    errors: list[FieldError] = []

    def walk(value: Any, where: str) -> Any:
        if isinstance(value, dict):
            if set(value) == {"from_env"}:
                return lookup(str(value["from_env"]), where)
            return {k: walk(v, f"{where}.{k}" if where else str(k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, f"{where}[{i}]") for i, v in enumerate(value)]
        if isinstance(value, str) and "${ENV:" in value:
            return ENV_REF.sub(lambda m: lookup(m[1], where), value)
        return value

    def lookup(name: str, where: str) -> str:
        if name not in env:
            errors.append(FieldError(where, f"environment variable {name} is not set"))
            return ""
        return env[name]

    return walk(doc, path), errors


def references(doc: Any, where: str = "") -> list[FieldError]:
    """Unresolved environment references: the api refuses to store them."""
    found: list[FieldError] = []
    if isinstance(doc, dict):
        if "from_env" in doc:
            found.append(FieldError(where or "body", "from_env must be resolved before applying"))
        for k, v in doc.items():
            found += references(v, f"{where}.{k}" if where else str(k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            found += references(v, f"{where}[{i}]")
    elif isinstance(doc, str) and ENV_REF.search(doc):
        found.append(FieldError(where, "${ENV:...} must be resolved before applying"))
    return found


# -- the file ------------------------------------------------------------------------------


def sections(doc: Any) -> dict[str, list]:
    if not isinstance(doc, dict):
        raise invalid([FieldError("body", f"must be a mapping of {', '.join(SECTIONS)}")])
    errors = [FieldError(k, "is not a known section") for k in doc if k not in SECTIONS]
    found = {s: [] if doc.get(s) is None else doc[s] for s in SECTIONS}
    for name, items in found.items():
        if not isinstance(items, list):
            errors.append(FieldError(name, "must be a list"))
        elif len(items) > MAX_ITEMS:
            errors.append(FieldError(name, f"must hold at most {MAX_ITEMS} items"))
    errors += references(doc)
    if errors:
        raise invalid(errors)
    return found


def _unique(items: list, key: str, section: str) -> list[FieldError]:
    seen: set = set()
    errors = []
    for i, item in enumerate(items):
        value = item.get(key) if isinstance(item, dict) else None
        if not isinstance(value, str):
            continue  # the item's own validation names a missing or odd key
        if value in seen:
            errors.append(FieldError(f"{section}[{i}].{key}", f"{value!r} is declared twice"))
        seen.add(value)
    return errors


def _prefixed(exc: ApiError, prefix: str) -> list[FieldError]:
    return [FieldError(f"{prefix}.{e.field}", e.message) for e in exc.problem.errors] or [
        FieldError(prefix, exc.problem.detail)
    ]


# -- channels ------------------------------------------------------------------------------


async def _live_channels(conn) -> dict[str, Any]:
    found, after = {}, None
    while True:
        page, after = await channel_store.page(conn, 500, after)
        found.update({c.name: c for c in page})
        if after is None:
            return found


def _plain(kind: str, config: dict, keyring: Keyring) -> dict:
    return secret_fields.map_channel(kind, config, lambda _, v: keyring.open_or_mask(v))


async def _channels(conn, items: list, keyring: Keyring, prune: bool, out: list[Change]):
    """Channel ids by name, after creating and updating what the file declares."""
    live = await _live_channels(conn)
    errors = _unique(items, "name", "channels")
    wanted: list[tuple[ChannelCreate, dict]] = []
    for i, item in enumerate(items):
        try:
            body = msgspec.convert(item, ChannelCreate)
            wanted.append((body, channel_config.parse(body.kind, body.config)))
        except msgspec.ValidationError as exc:
            errors.append(field_error(exc, f"channels[{i}]"))
        except ApiError as exc:
            errors += _prefixed(exc, f"channels[{i}]")
    if errors:
        raise invalid(errors)
    ids = {name: c.id for name, c in live.items()}
    for body, config in wanted:
        current = live.get(body.name)
        if current is None:
            sealed = channel_config.sealed(body.kind, config, keyring)
            made = await channel_store.insert(conn, body.name, body.kind, sealed, body.events)
            ids[body.name] = made.id
            out.append(Change(kind="channel", key=body.name, action="create"))
            continue
        before = {
            "kind": current.kind,
            "config": _plain(current.kind, current.config, keyring),
            "events": sorted(set(current.events)),
        }
        after = {"kind": body.kind, "config": config, "events": sorted(set(body.events))}
        if before != after:
            sealed = channel_config.sealed(body.kind, config, keyring)
            await channel_store.update(conn, current.id, body.kind, sealed, body.events)
            changed = [k for k in after if before[k] != after[k]]
            out.append(Change(kind="channel", key=body.name, action="update", fields=changed))
    declared = {b.name for b, _ in wanted}
    stale = [c for name, c in live.items() if name not in declared] if prune else []
    return ids, stale


# -- monitors ------------------------------------------------------------------------------


def _comparable(fields: MonitorFields) -> MonitorFields:
    return msgspec.structs.replace(fields, timeout_s=effective_timeout(fields))


async def _live_monitors(conn) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for m in await monitor_store.live_names(conn):
        found.setdefault(m.name, []).append(m.id)
    return found


def _monitor_docs(items: list, channel_ids: dict[str, str]) -> tuple[list, list[FieldError]]:
    """Each declared monitor as a POST /monitors body: `channels` (names) become ids."""
    docs, errors = [], []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or "channels" not in item:
            docs.append(item)
            continue
        names = item["channels"]
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            errors.append(FieldError(f"monitors[{i}].channels", "must be a list of names"))
            names = []
        if missing := [n for n in names if n not in channel_ids]:
            unknown = ", ".join(map(str, missing))
            errors.append(FieldError(f"monitors[{i}].channels", f"no such channel: {unknown}"))
        ids = [channel_ids[n] for n in names if n in channel_ids]
        doc = {k: v for k, v in item.items() if k != "channels"}
        doc["channel_ids"] = list(dict.fromkeys([*doc.get("channel_ids", []), *ids]))
        docs.append(doc)
    return docs, errors


async def _monitors(conn, items, channel_ids, keyring, prune, out):
    from services.api.routes import monitors_io

    docs, errors = _monitor_docs(items, channel_ids)
    errors += _unique(items, "name", "monitors")
    live = await _live_monitors(conn)
    for i, item in enumerate(items):
        name = item.get("name") if isinstance(item, dict) else None
        if isinstance(name, str) and len(live.get(name, [])) > 1:
            message = f"{len(live[name])} stored monitors share this name: rename all but one"
            errors.append(FieldError(f"monitors[{i}].name", message))
    if errors:
        raise invalid(errors)
    label = "monitors[{}]".format
    fields = await monitors_io.checked(conn, docs, label) if docs else []
    creates = [f for f in fields if f.name not in live]
    if creates:
        await monitors_io.create_all(conn, creates, keyring, label)
        out += [Change(kind="monitor", key=f.name, action="create") for f in creates]
    for f in fields:
        if f.name in live:
            await _update_monitor(conn, uuid.UUID(live[f.name][0]), f, keyring, out)
    ids = {m.name: m.id for m in await monitor_store.live_names(conn)}
    declared = {f.name for f in fields}
    stale = [mid for name, mids in live.items() if name not in declared for mid in mids]
    return ids, stale if prune else []


async def _update_monitor(conn, monitor_id, fields: MonitorFields, keyring, out) -> None:
    current = await monitor_store.lock(conn, monitor_id)
    before = _comparable(monitor_secrets.exported(current, keyring, include=True))
    after = _comparable(fields)
    if before == after:
        return
    resolved = monitor_secrets.resolve(fields, current, keyring)
    updated = resolved.stored(monitor_edit.revised(current, resolved.sealed), keyring)
    await monitor_store.save(conn, updated, keyring)
    subject = topology.monitor_subject("upserted", updated.id)
    await outbox.enqueue(conn, subject, MonitorUpserted(monitor=updated))
    changed = [
        n for n in MonitorFields.__struct_fields__ if getattr(before, n) != getattr(after, n)
    ]
    out.append(Change(kind="monitor", key=fields.name, action="update", fields=changed))


async def _delete_monitors(conn, ids: list[str], out) -> None:
    for raw in ids:
        current = await monitor_store.lock(conn, uuid.UUID(raw))
        if current is None:
            continue
        version = await monitor_store.soft_delete(conn, current, utcnow())
        event = MonitorDeleted(monitor_id=raw, version=version)
        await outbox.enqueue(conn, topology.monitor_subject("deleted", raw), event)
        out.append(Change(kind="monitor", key=current.name, action="delete"))


# -- status pages and maintenance windows ---------------------------------------------------


def _ids_of(names: Any, monitor_ids: dict[str, str], where: str) -> tuple[list[str], list]:
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return [], [FieldError(where, "must be a list of monitor names")]
    missing = [n for n in names if n not in monitor_ids]
    errors = (
        [FieldError(where, f"no such monitor: {', '.join(map(str, missing))}")] if missing else []
    )
    return [monitor_ids[n] for n in names if n in monitor_ids], errors


class _PageDecl(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    slug: page_store.Slug
    title: Annotated[str, Name]
    monitors: list[str] = []
    public: bool = True


async def _pages(conn, items, monitor_ids, public_url, prune, out) -> None:
    live = {p.slug: p for p in await page_store.list_all(conn, public_url)}
    errors = _unique(items, "slug", "status_pages")
    wanted = []
    for i, item in enumerate(items):
        where = f"status_pages[{i}]"
        try:
            decl = msgspec.convert(item, _PageDecl)
        except msgspec.ValidationError as exc:
            errors.append(field_error(exc, where))
            continue
        ids, problems = _ids_of(decl.monitors, monitor_ids, f"{where}.monitors")
        errors += problems
        fields = {"slug": decl.slug, "title": decl.title, "monitor_ids": ids, "public": decl.public}
        try:
            wanted.append((msgspec.convert(fields, page_store.StatusPageCreate), ids))
        except msgspec.ValidationError as exc:
            errors.append(field_error(exc, where))
    if errors:
        raise invalid(errors)
    for body, ids in wanted:
        current = live.get(body.slug)
        shape = (body.title, ids, body.public)
        if current is not None and (current.title, current.monitor_ids, current.public) == shape:
            continue
        if current is not None:
            await page_store.delete(conn, body.slug)
        await page_store.insert(conn, body, [uuid.UUID(i) for i in ids], public_url)
        action = "create" if current is None else "update"
        out.append(Change(kind="status_page", key=body.slug, action=action))
    if prune:
        for slug in set(live) - {b.slug for b, _ in wanted}:
            await page_store.delete(conn, slug)
            out.append(Change(kind="status_page", key=slug, action="delete"))


_WINDOW_FIELDS = ("monitor_ids", "tags", "starts_at", "ends_at", "cron", "duration_s", "timezone")


async def _windows(conn, items, monitor_ids, prune, out) -> None:
    from services.api.routes import maintenance

    live = {w.name: w for w in await window_store.live(conn)}
    errors = _unique(items, "name", "maintenance")
    wanted = []
    for i, item in enumerate(items):
        where = f"maintenance[{i}]"
        if not isinstance(item, dict):
            errors.append(FieldError(where, "must be a maintenance window"))
            continue
        ids, problems = _ids_of(item.get("monitors", []), monitor_ids, f"{where}.monitors")
        errors += problems
        doc = {k: v for k, v in item.items() if k != "monitors"}
        doc["monitor_ids"] = list(dict.fromkeys([*doc.get("monitor_ids", []), *ids]))
        try:
            wanted.append(msgspec.convert(doc, MaintenanceCreate))
        except msgspec.ValidationError as exc:
            errors.append(field_error(exc, where))
    if errors:
        raise invalid(errors)
    for i, body in enumerate(wanted):
        current = live.get(body.name)
        if current is not None and all(
            getattr(current, f) == getattr(body, f) for f in _WINDOW_FIELDS
        ):
            continue
        if current is not None:
            await window_store.soft_delete(conn, uuid.UUID(current.id))
        try:
            await maintenance.insert(conn, body)
        except ApiError as exc:
            raise invalid(_prefixed(exc, f"maintenance[{i}]")) from None
        action = "create" if current is None else "update"
        out.append(Change(kind="maintenance", key=body.name, action=action))
    if prune:
        for name in set(live) - {b.name for b in wanted}:
            await window_store.soft_delete(conn, uuid.UUID(live[name].id))
            out.append(Change(kind="maintenance", key=name, action="delete"))


# -- the whole -----------------------------------------------------------------------------


async def apply(
    conn, doc: Any, keyring: Keyring, public_url: str, *, dry_run: bool, prune: bool
) -> ApplyReport:
    found = sections(doc)
    changes: list[Change] = []
    try:
        async with conn.transaction():
            channel_ids, stale_channels = await _channels(
                conn, found["channels"], keyring, prune, changes
            )
            monitor_ids, stale_monitors = await _monitors(
                conn, found["monitors"], channel_ids, keyring, prune, changes
            )
            await _pages(conn, found["status_pages"], monitor_ids, public_url, prune, changes)
            await _windows(conn, found["maintenance"], monitor_ids, prune, changes)
            await _delete_monitors(conn, stale_monitors, changes)
            for c in stale_channels:
                await channel_store.soft_delete(conn, uuid.UUID(c.id))
                changes.append(Change(kind="channel", key=c.name, action="delete"))
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    declared = sum(len(v) for v in found.values())
    counts = {a: sum(1 for c in changes if c.action == a) for a in ("create", "update", "delete")}
    return ApplyReport(
        dry_run=dry_run,
        prune=prune,
        changes=changes,
        created=counts["create"],
        updated=counts["update"],
        deleted=counts["delete"],
        unchanged=declared - counts["create"] - counts["update"],
    )
