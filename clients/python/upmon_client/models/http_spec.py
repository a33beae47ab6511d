from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.http_spec_method import HttpSpecMethod
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.basic_auth import BasicAuth
    from ..models.bearer_auth import BearerAuth
    from ..models.http_spec_headers import HttpSpecHeaders
    from ..models.json_assertion import JsonAssertion


T = TypeVar("T", bound="HttpSpec")


@_attrs_define
class HttpSpec:
    """
    Attributes:
        method (HttpSpecMethod | Unset):  Default: HttpSpecMethod.GET.
        headers (HttpSpecHeaders | Unset):
        body (None | str | Unset):
        accepted_status (list[str] | Unset):
        follow_redirects (bool | Unset):  Default: True.
        max_redirects (int | Unset):  Default: 10.
        keyword (None | str | Unset):
        keyword_absent (bool | Unset):  Default: False.
        regex (None | str | Unset):
        degraded_after_ms (int | None | Unset):
        json_assertions (list[JsonAssertion] | Unset):
        verify_tls (bool | Unset):  Default: True.
        auth (BasicAuth | BearerAuth | None | Unset):
        max_body_bytes (int | Unset):  Default: 1048576.
    """

    method: HttpSpecMethod | Unset = HttpSpecMethod.GET
    headers: HttpSpecHeaders | Unset = UNSET
    body: None | str | Unset = UNSET
    accepted_status: list[str] | Unset = UNSET
    follow_redirects: bool | Unset = True
    max_redirects: int | Unset = 10
    keyword: None | str | Unset = UNSET
    keyword_absent: bool | Unset = False
    regex: None | str | Unset = UNSET
    degraded_after_ms: int | None | Unset = UNSET
    json_assertions: list[JsonAssertion] | Unset = UNSET
    verify_tls: bool | Unset = True
    auth: BasicAuth | BearerAuth | None | Unset = UNSET
    max_body_bytes: int | Unset = 1048576

    def to_dict(self) -> dict[str, Any]:
        from ..models.basic_auth import BasicAuth  # noqa: PLC0415
        from ..models.bearer_auth import BearerAuth  # noqa: PLC0415

        method: str | Unset = UNSET
        if not isinstance(self.method, Unset):
            method = self.method.value

        headers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.headers, Unset):
            headers = self.headers.to_dict()

        body: None | str | Unset
        if isinstance(self.body, Unset):
            body = UNSET
        else:
            body = self.body

        accepted_status: list[str] | Unset = UNSET
        if not isinstance(self.accepted_status, Unset):
            accepted_status = self.accepted_status

        follow_redirects = self.follow_redirects

        max_redirects = self.max_redirects

        keyword: None | str | Unset
        if isinstance(self.keyword, Unset):
            keyword = UNSET
        else:
            keyword = self.keyword

        keyword_absent = self.keyword_absent

        regex: None | str | Unset
        if isinstance(self.regex, Unset):
            regex = UNSET
        else:
            regex = self.regex

        degraded_after_ms: int | None | Unset
        if isinstance(self.degraded_after_ms, Unset):
            degraded_after_ms = UNSET
        else:
            degraded_after_ms = self.degraded_after_ms

        json_assertions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.json_assertions, Unset):
            json_assertions = []
            for json_assertions_item_data in self.json_assertions:
                json_assertions_item = json_assertions_item_data.to_dict()
                json_assertions.append(json_assertions_item)

        verify_tls = self.verify_tls

        auth: dict[str, Any] | None | Unset
        if isinstance(self.auth, Unset):
            auth = UNSET
        elif isinstance(self.auth, BasicAuth):
            auth = self.auth.to_dict()
        elif isinstance(self.auth, BearerAuth):
            auth = self.auth.to_dict()
        else:
            auth = self.auth

        max_body_bytes = self.max_body_bytes

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if method is not UNSET:
            field_dict["method"] = method
        if headers is not UNSET:
            field_dict["headers"] = headers
        if body is not UNSET:
            field_dict["body"] = body
        if accepted_status is not UNSET:
            field_dict["accepted_status"] = accepted_status
        if follow_redirects is not UNSET:
            field_dict["follow_redirects"] = follow_redirects
        if max_redirects is not UNSET:
            field_dict["max_redirects"] = max_redirects
        if keyword is not UNSET:
            field_dict["keyword"] = keyword
        if keyword_absent is not UNSET:
            field_dict["keyword_absent"] = keyword_absent
        if regex is not UNSET:
            field_dict["regex"] = regex
        if degraded_after_ms is not UNSET:
            field_dict["degraded_after_ms"] = degraded_after_ms
        if json_assertions is not UNSET:
            field_dict["json_assertions"] = json_assertions
        if verify_tls is not UNSET:
            field_dict["verify_tls"] = verify_tls
        if auth is not UNSET:
            field_dict["auth"] = auth
        if max_body_bytes is not UNSET:
            field_dict["max_body_bytes"] = max_body_bytes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.basic_auth import BasicAuth  # noqa: PLC0415
        from ..models.bearer_auth import BearerAuth  # noqa: PLC0415
        from ..models.http_spec_headers import HttpSpecHeaders  # noqa: PLC0415
        from ..models.json_assertion import JsonAssertion  # noqa: PLC0415

        d = dict(src_dict)
        _method = d.pop("method", UNSET)
        method: HttpSpecMethod | Unset
        if isinstance(_method, Unset):
            method = UNSET
        else:
            method = HttpSpecMethod(_method)

        _headers = d.pop("headers", UNSET)
        headers: HttpSpecHeaders | Unset
        if isinstance(_headers, Unset):
            headers = UNSET
        else:
            headers = HttpSpecHeaders.from_dict(_headers)

        def _parse_body(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        body = _parse_body(d.pop("body", UNSET))

        accepted_status = cast(list[str], d.pop("accepted_status", UNSET))

        follow_redirects = d.pop("follow_redirects", UNSET)

        max_redirects = d.pop("max_redirects", UNSET)

        def _parse_keyword(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        keyword = _parse_keyword(d.pop("keyword", UNSET))

        keyword_absent = d.pop("keyword_absent", UNSET)

        def _parse_regex(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        regex = _parse_regex(d.pop("regex", UNSET))

        def _parse_degraded_after_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        degraded_after_ms = _parse_degraded_after_ms(d.pop("degraded_after_ms", UNSET))

        _json_assertions = d.pop("json_assertions", UNSET)
        json_assertions: list[JsonAssertion] | Unset = UNSET
        if _json_assertions is not UNSET:
            json_assertions = []
            for json_assertions_item_data in _json_assertions:
                json_assertions_item = JsonAssertion.from_dict(json_assertions_item_data)

                json_assertions.append(json_assertions_item)

        verify_tls = d.pop("verify_tls", UNSET)

        def _parse_auth(data: object) -> BasicAuth | BearerAuth | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                auth_type_0_type_0 = BasicAuth.from_dict(data)

                return auth_type_0_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                auth_type_0_type_1 = BearerAuth.from_dict(data)

                return auth_type_0_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BasicAuth | BearerAuth | None | Unset, data)

        auth = _parse_auth(d.pop("auth", UNSET))

        max_body_bytes = d.pop("max_body_bytes", UNSET)

        http_spec = cls(
            method=method,
            headers=headers,
            body=body,
            accepted_status=accepted_status,
            follow_redirects=follow_redirects,
            max_redirects=max_redirects,
            keyword=keyword,
            keyword_absent=keyword_absent,
            regex=regex,
            degraded_after_ms=degraded_after_ms,
            json_assertions=json_assertions,
            verify_tls=verify_tls,
            auth=auth,
            max_body_bytes=max_body_bytes,
        )

        return http_spec
