from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.import_report_source import ImportReportSource
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.imported_channel import ImportedChannel
    from ..models.imported_item import ImportedItem


T = TypeVar("T", bound="ImportReport")


@_attrs_define
class ImportReport:
    """
    Attributes:
        source (ImportReportSource):
        dry_run (bool):
        created (int):
        not_mappable (int):
        items (list[ImportedItem]):
        channels (list[ImportedChannel]):
        skipped (list[str] | Unset):
    """

    source: ImportReportSource
    dry_run: bool
    created: int
    not_mappable: int
    items: list[ImportedItem]
    channels: list[ImportedChannel]
    skipped: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        source = self.source.value

        dry_run = self.dry_run

        created = self.created

        not_mappable = self.not_mappable

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        channels = []
        for channels_item_data in self.channels:
            channels_item = channels_item_data.to_dict()
            channels.append(channels_item)

        skipped: list[str] | Unset = UNSET
        if not isinstance(self.skipped, Unset):
            skipped = self.skipped

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "source": source,
                "dry_run": dry_run,
                "created": created,
                "not_mappable": not_mappable,
                "items": items,
                "channels": channels,
            }
        )
        if skipped is not UNSET:
            field_dict["skipped"] = skipped

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.imported_channel import ImportedChannel  # noqa: PLC0415
        from ..models.imported_item import ImportedItem  # noqa: PLC0415

        d = dict(src_dict)
        source = ImportReportSource(d.pop("source"))

        dry_run = d.pop("dry_run")

        created = d.pop("created")

        not_mappable = d.pop("not_mappable")

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = ImportedItem.from_dict(items_item_data)

            items.append(items_item)

        channels = []
        _channels = d.pop("channels")
        for channels_item_data in _channels:
            channels_item = ImportedChannel.from_dict(channels_item_data)

            channels.append(channels_item)

        skipped = cast(list[str], d.pop("skipped", UNSET))

        import_report = cls(
            source=source,
            dry_run=dry_run,
            created=created,
            not_mappable=not_mappable,
            items=items,
            channels=channels,
            skipped=skipped,
        )

        import_report.additional_properties = d
        return import_report

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
