"""The api's store modules: all of its SQL (Postgres) and its ClickHouse reads, one
module per table or read; routes keep only HTTP."""

from __future__ import annotations

from typing import Any, Generic, NamedTuple, TypeVar

T = TypeVar("T")


class Page(NamedTuple, Generic[T]):
    items: list[T]
    # The sort key of the last item when more follow (where the next page starts), or None.
    last: Any
