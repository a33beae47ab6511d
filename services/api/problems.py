"""Errors as RFC 9457 problem+json, and the middleware that guarantees every
failure leaves the service in that shape (never a traceback)."""

from __future__ import annotations

import asyncio
import re

import msgspec
import nats.errors
from aiohttp import web

from shared import bounds, db
from shared.logs import get
from shared.monitors import FieldError

log = get("api")

PROBLEM_TYPE = "application/problem+json"
_BODY_HEADERS = ("content-type", "content-length")

_AT = re.compile(r"^(?P<message>.*?)(?: - at (?:`key` in )?`\$(?P<path>[^`]*)`)?$", re.DOTALL)
_NAMED = re.compile(r"^Object (?P<what>missing required|contains unknown) field `(?P<name>[^`]+)`$")
# msgspec's constraint and type messages, said as a form would say them.
_LENGTH = re.compile(r"^Expected `(?P<type>str|array|object)` of length (?P<op>[<>]=) (?P<n>\d+)$")
_BOUND = re.compile(r"^Expected `(?:int|float)` (?P<op>[<>]=?) (?P<n>-?[\d.e+-]+)$")
_TYPE = re.compile(r"^Expected `(?P<want>[a-z]+)(?: \| null)?`, got `(?P<got>[a-z]+)`$")
_UNITS = {"array": "items", "object": "entries"}
_OPS = {">=": "at least", "<=": "at most", ">": "greater than", "<": "less than"}
_TYPES = {
    "str": "a string",
    "int": "an integer",
    "float": "a number",
    "bool": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
}


class Problem(msgspec.Struct, kw_only=True):
    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] = []


class ApiError(Exception):
    """Raised anywhere in a handler; the middleware turns it into a problem response."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.problem = Problem(
            type=f"urn:upmon:problem:{_slug(title)}",
            title=title,
            status=status,
            detail=detail,
            errors=errors or [],
        )
        self.headers = headers or {}


def invalid(errors: list[FieldError]) -> ApiError:
    fields = ", ".join(e.field for e in errors)
    return ApiError(422, "Validation failed", f"invalid input: {fields}", errors)


def invalid_field(field: str, message: str) -> ApiError:
    return invalid([FieldError(field, message)])


def not_found(what: str) -> ApiError:
    return ApiError(404, "Not Found", f"{what} not found")


def no_notifier(does: str, why: str) -> ApiError:
    """A request the notifier answers (it owns the effect) found no notifier answering."""
    return ApiError(
        503,
        "Service Unavailable",
        f"a notifier {does} and {why}; start the notifier service and try again",
        headers={"Retry-After": "5"},
    )


def silence(exc: Exception) -> str:
    """Why a request to the notifier went unanswered, for `no_notifier`."""
    if isinstance(exc, nats.errors.NoRespondersError):
        return "none is running"
    if isinstance(exc, nats.errors.TimeoutError):
        return "none answered"
    # Closed or draining connection, full buffer: the request never reached a notifier.
    return "the api cannot reach NATS"


def field_error(exc: msgspec.ValidationError, prefix: str = "") -> FieldError:
    """Name the field a msgspec error is about, as `http.accepted_status[0]`."""
    parts = _AT.match(str(exc))
    message, path = (parts["message"], parts["path"] or "") if parts else (str(exc), "")
    named = _NAMED.match(message)
    if named:
        path = _join(path, named["name"])
        message = "is required" if named["what"] == "missing required" else "is not a known field"
    if repr(bounds.NO_CONTROLS) in message:
        message = bounds.CONTROLS_MESSAGE
    message = plain(message)
    # msgspec writes a dict value's key as `[...]`; the dict itself is the useful name.
    path = path.replace("[...]", "").lstrip(".")
    return FieldError(_join(prefix, path) or "body", message)


def plain(message: str) -> str:
    """`Expected `str` of length >= 8` as `must be at least 8 characters`; a message of
    another shape stays as msgspec wrote it."""
    if m := _LENGTH.match(message):
        if m["type"] == "str" and m["op"] == ">=" and m["n"] == "1":
            return "must not be empty"
        if m["type"] == "str":
            return f"must be {_OPS[m['op']]} {m['n']} characters long"
        return f"must have {_OPS[m['op']]} {m['n']} {_UNITS[m['type']]}"
    if m := _BOUND.match(message):
        return f"must be {_OPS[m['op']]} {m['n']}"
    if (m := _TYPE.match(message)) and m["want"] in _TYPES and m["got"] in _TYPES:
        return f"must be {_TYPES[m['want']]}, not {_TYPES[m['got']]}"
    return message


def _join(head: str, tail: str) -> str:
    if not head or not tail or tail.startswith("["):
        return f"{head}{tail}"
    return f"{head}.{tail}"


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def respond(problem: Problem, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        body=msgspec.json.encode(problem),
        status=problem.status,
        content_type=PROBLEM_TYPE,
        headers=headers,
    )


def _from_http(exc: web.HTTPException) -> web.Response:
    # Keep headers such as Allow (405) that tell the client how to recover.
    keep = {k: v for k, v in exc.headers.items() if k.lower() not in _BODY_HEADERS}
    title = exc.reason or "Error"
    detail = exc.text if exc.text and not exc.text.startswith(f"{exc.status}:") else title
    problem = Problem(
        type=f"urn:upmon:problem:{_slug(title)}", title=title, status=exc.status, detail=detail
    )
    return respond(problem, keep)


def _nul_refused(request: web.Request) -> ApiError | None:
    """NUL in the path or a query value: no resource has one, and Postgres refuses it in
    text, so it is answered here for every route (also those without credentials)."""
    if "\x00" in request.path:
        where = "path"
    else:
        where = next((k for k, v in request.query.items() if "\x00" in k + v), "")
    if not where:
        return None
    return ApiError(400, "Bad Request", f"NUL (%00) in {where}", [FieldError(where, "has NUL")])


# The database (or the way to it) is away: the client may try again, unlike after a bug.
_UNAVAILABLE = ApiError(
    503,
    "Service Unavailable",
    "the database is unavailable; try again shortly",
    headers={"Retry-After": "5"},
)


@web.middleware
async def problem_middleware(request: web.Request, handler) -> web.StreamResponse:
    try:
        if refused := _nul_refused(request):
            raise refused
        return await handler(request)
    except ApiError as exc:
        return respond(exc.problem, exc.headers)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return _from_http(exc)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        if db.unavailable(exc):
            log.warning("request_unavailable", path=request.path, error=repr(exc))
            return respond(_UNAVAILABLE.problem, _UNAVAILABLE.headers)
        log.exception("request_failed", method=request.method, path=request.path)
        return respond(
            Problem(
                type="urn:upmon:problem:internal-error",
                title="Internal server error",
                status=500,
                detail="the server failed to handle this request; the error is in its logs",
            )
        )
