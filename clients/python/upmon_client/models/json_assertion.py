from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.json_assertion_op import JsonAssertionOp
from ..types import UNSET, Unset

T = TypeVar("T", bound="JsonAssertion")


@_attrs_define
class JsonAssertion:
    """
    Attributes:
        path (str):
        op (JsonAssertionOp | Unset):  Default: JsonAssertionOp.VALUE_3.
        value (bool | float | int | None | str | Unset):
    """

    path: str
    op: JsonAssertionOp | Unset = JsonAssertionOp.VALUE_3
    value: bool | float | int | None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        op: str | Unset = UNSET
        if not isinstance(self.op, Unset):
            op = self.op.value

        value: bool | float | int | None | str | Unset
        if isinstance(self.value, Unset):
            value = UNSET
        else:
            value = self.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "path": path,
            }
        )
        if op is not UNSET:
            field_dict["op"] = op
        if value is not UNSET:
            field_dict["value"] = value

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        path = d.pop("path")

        _op = d.pop("op", UNSET)
        op: JsonAssertionOp | Unset
        if isinstance(_op, Unset):
            op = UNSET
        else:
            op = JsonAssertionOp(_op)

        def _parse_value(data: object) -> bool | float | int | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | float | int | None | str | Unset, data)

        value = _parse_value(d.pop("value", UNSET))

        json_assertion = cls(
            path=path,
            op=op,
            value=value,
        )

        return json_assertion
