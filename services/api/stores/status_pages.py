"""Status pages in Postgres, and the bodies of their admin and public views.

The public view names monitors and incidents but never a target, an error text or
who acknowledged what: those can reveal internal hosts and people."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Any

import asyncpg
from msgspec import Meta, Struct

from shared.bounds import Name, RefId

Slug = Annotated[str, Meta(pattern=r"^[a-z0-9-]{1,64}(?![\s\S])")]
MAX_MONITORS = 100


class StatusPageCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    slug: Slug
    title: Name
    monitor_ids: Annotated[list[RefId], Meta(max_length=MAX_MONITORS)] = []
    public: bool = True


class StatusPageView(Struct, kw_only=True):
    id: str
    slug: str
    title: str
    monitor_ids: list[str]
    public: bool
    created_at: datetime
    # Where the HTML page is served.
    url: str


class StatusPageList(Struct):
    items: list[StatusPageView]


class StatusDay(Struct, kw_only=True):
    date: date
    # None: no check ran that day.
    uptime_pct: float | None
    checks: int


class StatusMonitor(Struct, kw_only=True):
    id: str
    name: str
    status: str
    uptime_90d: float | None
    days: list[StatusDay]


class StatusIncident(Struct, kw_only=True):
    id: str
    monitor_id: str
    monitor_name: str
    status: str
    opened_at: datetime
    duration_s: float


class PublicStatus(Struct, kw_only=True):
    slug: str
    title: str
    # The worst current status among the monitors: down, degraded, maintenance, up, unknown.
    overall: str
    monitors: list[StatusMonitor]
    incidents: list[StatusIncident]


_COLUMNS = "id::text AS id, slug, title, monitor_ids::text[] AS monitor_ids, public, created_at"


def _view(row: asyncpg.Record, public_url: str) -> StatusPageView:
    url = f"{public_url.rstrip('/')}/status/{row['slug']}"
    return StatusPageView(**{**dict(row), "monitor_ids": list(row["monitor_ids"])}, url=url)


async def missing_monitors(conn: Any, ids: list[uuid.UUID]) -> list[uuid.UUID]:
    found = await conn.fetch(
        "SELECT id FROM monitors WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL", ids
    )
    live = {r["id"] for r in found}
    return [i for i in ids if i not in live]


async def insert(
    conn: Any, body: StatusPageCreate, ids: list[uuid.UUID], public_url: str
) -> StatusPageView:
    """The stored page; raises asyncpg.UniqueViolationError when the slug is taken."""
    row = await conn.fetchrow(
        "INSERT INTO status_pages (id, slug, title, monitor_ids, public)"
        f" VALUES ($1, $2, $3, $4, $5) RETURNING {_COLUMNS}",
        uuid.uuid4(),
        body.slug,
        body.title,
        ids,
        body.public,
    )
    return _view(row, public_url)


async def list_all(conn: Any, public_url: str) -> list[StatusPageView]:
    rows = await conn.fetch(f"SELECT {_COLUMNS} FROM status_pages ORDER BY slug")
    return [_view(r, public_url) for r in rows]


async def by_slug(conn: Any, slug: str, public_url: str) -> StatusPageView | None:
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM status_pages WHERE slug = $1", slug)
    return _view(row, public_url) if row else None


async def delete(conn: Any, slug: str) -> bool:
    return await conn.fetchval("DELETE FROM status_pages WHERE slug = $1 RETURNING 1", slug) == 1


async def monitors(conn: Any, ids: list[str]) -> list[dict[str, Any]]:
    """id, name and current status of the live monitors among `ids`, in that order."""
    rows = await conn.fetch(
        # The same status rule as the monitor list: paused wins over the last result.
        "SELECT m.id::text AS id, m.doc->>'name' AS name,"
        " CASE WHEN m.paused THEN 'paused' ELSE coalesce(s.status, 'pending') END AS status"
        " FROM unnest($1::uuid[]) WITH ORDINALITY AS p(id, n)"
        " JOIN monitors m ON m.id = p.id AND m.deleted_at IS NULL"
        " LEFT JOIN monitor_state s ON s.monitor_id = m.id ORDER BY p.n",
        ids,
    )
    return [dict(r) for r in rows]


async def open_incidents(conn: Any, names: dict[str, str]) -> list[StatusIncident]:
    """Unresolved incidents of the monitors in `names` (id -> name), newest first."""
    rows = await conn.fetch(
        "SELECT id::text AS id, monitor_id::text AS monitor_id, status, opened_at"
        " FROM incidents WHERE monitor_id = ANY($1::uuid[]) AND status <> 'resolved'"
        " ORDER BY opened_at DESC, id LIMIT 50",
        list(names),
    )
    now = datetime.now(UTC)
    return [
        StatusIncident(
            **dict(r),
            monitor_name=names[r["monitor_id"]],
            duration_s=round((now - r["opened_at"]).total_seconds(), 3),
        )
        for r in rows
    ]
