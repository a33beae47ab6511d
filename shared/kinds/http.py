"""HTTP(S): one request (plus redirects) on a fresh connection, judged on its status,
body and timings."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta, Struct

from shared import bounds, jsonpath, patterns
from shared.bounds import MAX_HEADERS, HeaderName, HeaderValue, Token, plain
from shared.kinds.base import (
    Change,
    FieldError,
    FormField,
    MonitorKind,
    Options,
    ProbeContext,
    errors,
    url_error,
)

HttpMethod = Literal["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
JsonOp = Literal["==", "!=", "<", "<=", ">", ">=", "contains", "exists"]
# Patterns end in (?![\s\S]), not $, which would let a final line break in (shared.bounds).
StatusRange = Annotated[str, Meta(pattern=r"^[1-5][0-9]{2}(-[1-5][0-9]{2})?(?![\s\S])")]
# Compared values and keywords: long enough for any real check, short enough that a list
# page of monitors stays small.
Expected = Annotated[str, Meta(max_length=1024)]
Headers = Annotated[dict[HeaderName, HeaderValue], Meta(max_length=MAX_HEADERS)]
MAX_BODY = 64 * 1024

# Header names whose values are credentials (case-insensitive substrings).
SECRET_HEADER_WORDS = (
    "authorization",
    "token",
    "secret",
    "key",
    "cookie",
    "password",
    "passwd",
    "session",
    "credential",
    "signature",
    "auth",
)


class JsonAssertion(Struct, kw_only=True, forbid_unknown_fields=True):
    path: Annotated[str, Meta(min_length=1, max_length=512)]
    op: JsonOp = "=="
    # Compared with the value at `path`; ignored by `exists`.
    value: Expected | int | float | bool | None = None


class BasicAuth(Struct, tag="basic", tag_field="type", forbid_unknown_fields=True):
    username: Annotated[str, plain(256)]
    password: Annotated[str, plain(1024)]


class BearerAuth(Struct, tag="bearer", tag_field="type", forbid_unknown_fields=True):
    token: Token


class HttpSpec(Options, kw_only=True):
    method: HttpMethod = "GET"
    headers: Headers = {}
    body: Annotated[str, Meta(max_length=MAX_BODY)] | None = None
    accepted_status: Annotated[list[StatusRange], Meta(min_length=1)] = msgspec.field(
        default_factory=lambda: ["200-299"]
    )
    follow_redirects: bool = True
    max_redirects: Annotated[int, Meta(ge=0, le=30)] = 10
    keyword: Annotated[str, Meta(min_length=1, max_length=1024)] | None = None
    keyword_absent: bool = False
    regex: Annotated[str, Meta(min_length=1, max_length=patterns.MAX_LENGTH)] | None = None
    degraded_after_ms: Annotated[int, Meta(ge=1)] | None = None
    json_assertions: Annotated[list[JsonAssertion], Meta(max_length=32)] = []
    verify_tls: bool = True
    auth: BasicAuth | BearerAuth | None = None
    max_body_bytes: Annotated[int, Meta(ge=0, le=16 * 1024 * 1024)] = 1024 * 1024


_CODES = "Codes or ranges, comma-separated"
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def rules(fields: Any, spec: HttpSpec) -> list[FieldError]:
    found = errors("target", url_error(fields.target))
    for name, value in spec.headers.items():
        if not _TOKEN.fullmatch(name):
            found.append(FieldError(f"http.headers.{name}", "is not a valid header name"))
        elif bounds.has_controls(value):
            found.append(FieldError(f"http.headers.{name}", bounds.CONTROLS_MESSAGE))
    for i, item in enumerate(spec.accepted_status):
        low, _, high = item.partition("-")
        if high and int(high) < int(low):
            found.append(FieldError(f"http.accepted_status[{i}]", "range is reversed"))
    if spec.regex is not None and (reason := patterns.problem(spec.regex)):
        found.append(FieldError("http.regex", reason))
    if isinstance(spec.auth, BasicAuth) and ":" in spec.auth.username:
        # RFC 7617: the first colon ends the user-id, so the rest would become the password.
        found.append(FieldError("http.auth.username", "must not contain ':'"))
    for i, assertion in enumerate(spec.json_assertions):
        found.extend(_assertion_errors(f"http.json_assertions[{i}]", assertion))
    return found


def _assertion_errors(where: str, a: JsonAssertion) -> list[FieldError]:
    try:
        jsonpath.parse(a.path)
    except jsonpath.PathError as exc:
        return [FieldError(f"{where}.path", f"invalid JSONPath: {exc}")]
    if a.op in ("<", "<=", ">", ">=") and (
        isinstance(a.value, bool) or not isinstance(a.value, int | float)
    ):
        return [FieldError(f"{where}.value", f"op {a.op} needs a number")]
    if a.op == "contains" and a.value is None:
        return [FieldError(f"{where}.value", "op contains needs a value")]
    return []


def secret_header(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in SECRET_HEADER_WORDS)


def find_secrets(spec: HttpSpec) -> dict[str, str]:
    found: dict[str, str] = {}
    if isinstance(spec.auth, BasicAuth):
        found["http.auth.password"] = spec.auth.password
    elif isinstance(spec.auth, BearerAuth):
        found["http.auth.token"] = spec.auth.token
    for name, value in spec.headers.items():
        if secret_header(name):
            found[f"http.headers.{name}"] = value
    return found


def map_secrets(spec: HttpSpec, change: Change) -> HttpSpec:
    auth = spec.auth
    if isinstance(auth, BasicAuth):
        auth = BasicAuth(
            username=auth.username, password=change("http.auth.password", auth.password)
        )
    elif isinstance(auth, BearerAuth):
        auth = BearerAuth(token=change("http.auth.token", auth.token))
    headers = {
        name: change(f"http.headers.{name}", value) if secret_header(name) else value
        for name, value in spec.headers.items()
    }
    return msgspec.structs.replace(spec, auth=auth, headers=headers)


async def probe(ctx: ProbeContext, monitor: Any, spec: HttpSpec, timeline: Any) -> Any:
    # Imported here: the client and its parser are the executor's, not the api's, to load.
    from shared.probes import http

    if ctx.client is None:
        raise RuntimeError("an http check needs the executor's client (Checker)")
    return await http.probe(ctx.client, monitor, timeline)


KIND = MonitorKind(
    name="http",
    title="HTTP(S)",
    options=HttpSpec,
    target="url",
    target_example="https://example.com/health",
    probe=probe,
    rules=rules,
    find_secrets=find_secrets,
    map_secrets=map_secrets,
    summary="One request on a fresh connection; status, keyword, regex and JSON assertions.",
    error_kinds=frozenset(
        {
            "http_status",
            "keyword",
            "regex",
            "too_many_redirects",
            "body_too_large",
            "assertion",
            "cert_expired",
            "cert_invalid",
            "hostname_mismatch",
        }
    ),
    form=(
        FormField("method", "Method", "select", choices=HttpMethod.__args__),
        FormField(
            "accepted_status",
            "Accepted status codes",
            "list",
            help="Codes or ranges, comma-separated",
        ),
        FormField("keyword", "Keyword in the body"),
        FormField("degraded_after_ms", "Degraded after (ms)", "number"),
        FormField("follow_redirects", "Follow redirects", "checkbox"),
        FormField("verify_tls", "Verify TLS certificates", "checkbox"),
    ),
    preselected=True,
)
