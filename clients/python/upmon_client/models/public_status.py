from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.status_incident import StatusIncident
    from ..models.status_monitor import StatusMonitor


T = TypeVar("T", bound="PublicStatus")


@_attrs_define
class PublicStatus:
    """
    Attributes:
        slug (str):
        title (str):
        overall (str):
        monitors (list[StatusMonitor]):
        incidents (list[StatusIncident]):
    """

    slug: str
    title: str
    overall: str
    monitors: list[StatusMonitor]
    incidents: list[StatusIncident]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        slug = self.slug

        title = self.title

        overall = self.overall

        monitors = []
        for monitors_item_data in self.monitors:
            monitors_item = monitors_item_data.to_dict()
            monitors.append(monitors_item)

        incidents = []
        for incidents_item_data in self.incidents:
            incidents_item = incidents_item_data.to_dict()
            incidents.append(incidents_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "slug": slug,
                "title": title,
                "overall": overall,
                "monitors": monitors,
                "incidents": incidents,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.status_incident import StatusIncident  # noqa: PLC0415
        from ..models.status_monitor import StatusMonitor  # noqa: PLC0415

        d = dict(src_dict)
        slug = d.pop("slug")

        title = d.pop("title")

        overall = d.pop("overall")

        monitors = []
        _monitors = d.pop("monitors")
        for monitors_item_data in _monitors:
            monitors_item = StatusMonitor.from_dict(monitors_item_data)

            monitors.append(monitors_item)

        incidents = []
        _incidents = d.pop("incidents")
        for incidents_item_data in _incidents:
            incidents_item = StatusIncident.from_dict(incidents_item_data)

            incidents.append(incidents_item)

        public_status = cls(
            slug=slug,
            title=title,
            overall=overall,
            monitors=monitors,
            incidents=incidents,
        )

        public_status.additional_properties = d
        return public_status

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
