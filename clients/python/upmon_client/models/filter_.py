from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Filter")


@_attrs_define
class Filter:
    """Which dead letters a bulk action touches. An empty filter matches nothing unless
    `all` is set, so a forgotten field never retries or discards everything.

    Attributes:
        ids (list[int] | Unset):
        all_ (bool | Unset):  Default: False.
        subject (None | str | Unset):
        consumer (None | str | Unset):
        error (None | str | Unset):
        since (None | str | Unset):
        until (None | str | Unset):
        dry_run (bool | Unset):  Default: False.
    """

    ids: list[int] | Unset = UNSET
    all_: bool | Unset = False
    subject: None | str | Unset = UNSET
    consumer: None | str | Unset = UNSET
    error: None | str | Unset = UNSET
    since: None | str | Unset = UNSET
    until: None | str | Unset = UNSET
    dry_run: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        ids: list[int] | Unset = UNSET
        if not isinstance(self.ids, Unset):
            ids = self.ids

        all_ = self.all_

        subject: None | str | Unset
        if isinstance(self.subject, Unset):
            subject = UNSET
        else:
            subject = self.subject

        consumer: None | str | Unset
        if isinstance(self.consumer, Unset):
            consumer = UNSET
        else:
            consumer = self.consumer

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        since: None | str | Unset
        if isinstance(self.since, Unset):
            since = UNSET
        else:
            since = self.since

        until: None | str | Unset
        if isinstance(self.until, Unset):
            until = UNSET
        else:
            until = self.until

        dry_run = self.dry_run

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if ids is not UNSET:
            field_dict["ids"] = ids
        if all_ is not UNSET:
            field_dict["all"] = all_
        if subject is not UNSET:
            field_dict["subject"] = subject
        if consumer is not UNSET:
            field_dict["consumer"] = consumer
        if error is not UNSET:
            field_dict["error"] = error
        if since is not UNSET:
            field_dict["since"] = since
        if until is not UNSET:
            field_dict["until"] = until
        if dry_run is not UNSET:
            field_dict["dry_run"] = dry_run

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ids = cast(list[int], d.pop("ids", UNSET))

        all_ = d.pop("all", UNSET)

        def _parse_subject(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject = _parse_subject(d.pop("subject", UNSET))

        def _parse_consumer(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        consumer = _parse_consumer(d.pop("consumer", UNSET))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_since(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        since = _parse_since(d.pop("since", UNSET))

        def _parse_until(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        until = _parse_until(d.pop("until", UNSET))

        dry_run = d.pop("dry_run", UNSET)

        filter_ = cls(
            ids=ids,
            all_=all_,
            subject=subject,
            consumer=consumer,
            error=error,
            since=since,
            until=until,
            dry_run=dry_run,
        )

        return filter_
