from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.api_key_create_scope import ApiKeyCreateScope

T = TypeVar("T", bound="ApiKeyCreate")


@_attrs_define
class ApiKeyCreate:
    """
    Attributes:
        name (str):
        scope (ApiKeyCreateScope):
    """

    name: str
    scope: ApiKeyCreateScope

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        scope = self.scope.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "scope": scope,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        scope = ApiKeyCreateScope(d.pop("scope"))

        api_key_create = cls(
            name=name,
            scope=scope,
        )

        return api_key_create
