"""HTTP(S) checks: one request (plus redirects) on a fresh connection, judged by the spec."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import datetime

import msgspec
from cryptography import x509
from yarl import URL

from shared import patterns
from shared.kinds.http import BasicAuth, BearerAuth, HttpSpec
from shared.monitors import Monitor
from shared.probes import assertions, wire
from shared.probes.client import Client, InvalidUrl, Request, target_url
from shared.probes.outcome import Outcome, OutcomeStatus
from shared.probes.timing import Timeline, ceil_us, now_ms
from shared.probes.tls import dn_text

USER_AGENT = wire.USER_AGENT
# Bodies above this are judged in a thread: a regex over megabytes (linear in RE2, but
# still seconds for 16 MB) or a large JSON decode would hold up every check on the loop.
_JUDGE_INLINE_BYTES = 64 * 1024

Verdict = tuple[OutcomeStatus, str | None, str | None]


class CertInfo(msgspec.Struct, kw_only=True, frozen=True):
    expires_at: datetime | None = None
    issuer: str | None = None
    subject: str | None = None


class Page(msgspec.Struct, kw_only=True):
    """The final response, with at most max_body_bytes of its body."""

    status: int
    body: bytes = b""
    truncated: bool = False
    charset: str | None = None
    cert: CertInfo | None = None

    def text(self) -> str:
        try:
            return self.body.decode(self.charset or "utf-8", errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


def cert_info(cert: x509.Certificate | None) -> CertInfo | None:
    if cert is None:
        return None
    return CertInfo(
        expires_at=cert.not_valid_after_utc,
        issuer=dn_text(cert.issuer),
        subject=dn_text(cert.subject),
    )


def status_accepted(code: int, accepted: Iterable[str]) -> bool:
    for item in accepted:
        low, _, high = item.partition("-")
        if int(low) <= code <= int(high or low):
            return True
    return False


def judge(spec: HttpSpec, page: Page, latency_ms: float) -> Verdict:
    if not status_accepted(page.status, spec.accepted_status):
        accepted = ", ".join(spec.accepted_status)
        return "down", "http_status", f"status {page.status} is not in accepted_status [{accepted}]"
    failure = _body_failure(spec, page)
    if failure is not None:
        return "down", *failure
    if spec.degraded_after_ms is not None and latency_ms > spec.degraded_after_ms:
        limit = spec.degraded_after_ms
        message = f"latency {latency_ms:.0f} ms is above degraded_after_ms ({limit} ms)"
        return "degraded", None, message
    return "up", None, None


async def judged(spec: HttpSpec, page: Page, latency_ms: float) -> Verdict:
    if len(page.body) <= _JUDGE_INLINE_BYTES:
        return judge(spec, page, latency_ms)
    return await asyncio.to_thread(judge, spec, page, latency_ms)


def _body_failure(spec: HttpSpec, page: Page) -> tuple[str, str] | None:
    if spec.keyword is not None or spec.regex is not None:
        failure = _text_failure(spec, page, page.text())
        if failure is not None:
            return failure
    if spec.json_assertions:
        return _json_failure(spec, page)
    return None


def _text_failure(spec: HttpSpec, page: Page, text: str) -> tuple[str, str] | None:
    if spec.keyword is not None:
        failure = _keyword_failure(spec, page, text)
        if failure is not None:
            return failure
    if spec.regex is not None and not patterns.search(spec.regex, text):
        return _unmatched(page, spec, "regex", f"regex {spec.regex!r} did not match the body")
    return None


def _json_failure(spec: HttpSpec, page: Page) -> tuple[str, str] | None:
    if page.truncated:
        cap = spec.max_body_bytes
        message = f"JSON assertions need the whole body, but only its first {cap} bytes were read"
        return "body_too_large", f"{message} (max_body_bytes)"
    try:
        doc = assertions.decode(page.body)
    except assertions.NotJson as exc:
        return "assertion", str(exc)
    message = assertions.first_failure(doc, spec.json_assertions)
    return None if message is None else ("assertion", message)


def _keyword_failure(spec: HttpSpec, page: Page, text: str) -> tuple[str, str] | None:
    keyword = spec.keyword or ""
    found = keyword in text
    if found and spec.keyword_absent:
        return "keyword", f"keyword {keyword!r} was found in the body but must be absent"
    if not found and not spec.keyword_absent:
        return _unmatched(page, spec, "keyword", f"keyword {keyword!r} not found in the body")
    if not found and page.truncated:
        message = f"keyword {keyword!r} must be absent, but the whole body could not be checked"
        return _unmatched(page, spec, "keyword", message)
    return None


def _unmatched(page: Page, spec: HttpSpec, kind: str, message: str) -> tuple[str, str]:
    # A capped body cannot prove a miss: the text may sit past the bytes not read.
    if not page.truncated:
        return kind, message
    cap = spec.max_body_bytes
    return "body_too_large", f"{message}: only its first {cap} bytes were read (max_body_bytes)"


async def probe(client: Client, monitor: Monitor, timeline: Timeline) -> Outcome:
    spec = monitor.http or HttpSpec()
    started = now_ms()
    try:
        page = await _fetch(client, monitor.target, spec, timeline)
    except TooManyRedirects as exc:
        return _too_many_redirects(exc, timeline)
    except (AuthError, wire.Unsendable) as exc:
        return _unsendable(exc, timeline)
    latency = ceil_us(now_ms() - started)
    status, kind, error = await judged(spec, page, latency)
    cert = page.cert or CertInfo()
    return Outcome(
        status=status,
        latency_ms=latency,
        http_status=page.status,
        error_kind=kind,
        error=error,
        phases=timeline.phases(),
        cert_expires_at=cert.expires_at,
        cert_issuer=cert.issuer,
        cert_subject=cert.subject,
    )


class TooManyRedirects(Exception):
    def __init__(self, status: int, location: str, allowed: int) -> None:
        super().__init__(status, location, allowed)
        self.status, self.location, self.allowed = status, location, allowed


async def _fetch(client: Client, target: str, spec: HttpSpec, timeline: Timeline) -> Page:
    url = target_url(target)
    method, headers = spec.method, request_headers(spec, url)
    body = spec.body.encode() if spec.body is not None else None
    for hop in range(spec.max_redirects + 1):
        request = Request(
            method, url, headers, body, cap=spec.max_body_bytes, verify=spec.verify_tls
        )
        response, cert = await client.exchange(
            request, timeline, stop_at_redirect=spec.follow_redirects
        )
        location = response.headers.get("location")
        if not (spec.follow_redirects and response.status in wire.REDIRECTS and location):
            return _page(response, cert)
        if hop == spec.max_redirects:
            raise TooManyRedirects(response.status, location, spec.max_redirects)
        url, method, headers, body = _redirected(
            url, location, response.status, method, headers, body
        )
    raise AssertionError("unreachable: the last hop returns or raises")


def _redirected(
    url: URL, location: str, status: int, method: str, headers: dict[str, str], body: bytes | None
) -> tuple[URL, str, dict[str, str], bytes | None]:
    """The next hop: Location read against the current URL, as browsers do."""
    try:
        to = url.join(URL(location))
    except ValueError:
        raise InvalidUrl(location) from None
    to = target_url(str(to))
    next_method = wire.redirect_method(status, method)
    if next_method != method:
        body = None
    if to.origin() != url.origin():
        # Credentials are for the origin they were written for, not wherever it points.
        headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
    return to, next_method, headers, body


def _page(response: wire.Response, cert: x509.Certificate | None) -> Page:
    return Page(
        status=response.status,
        body=response.body,
        truncated=response.truncated,
        charset=wire.charset_of(response.headers.get("content-type")),
        cert=cert_info(cert),
    )


class AuthError(ValueError):
    """Credentials that cannot be sent; the message never repeats them."""


def request_headers(spec: HttpSpec, url: URL | None = None) -> dict[str, str]:
    auth = spec.auth
    if auth is None and url is not None and url.user is not None:
        # Credentials written in the URL are sent as basic auth, as browsers and curl do.
        auth = BasicAuth(username=url.user, password=url.password or "")
    if auth is None:
        return spec.headers
    # The monitor's auth wins over an Authorization header written by hand.
    headers = {k: v for k, v in spec.headers.items() if k.lower() != "authorization"}
    headers["Authorization"] = authorization(auth)
    return headers


def authorization(auth: BasicAuth | BearerAuth) -> str:
    if isinstance(auth, BearerAuth):
        if any(c in auth.token for c in "\r\n\0"):
            raise AuthError("the bearer token contains a line break or NUL")
        return f"Bearer {auth.token}"
    if ":" in auth.username:
        raise AuthError("the basic auth username contains ':'")
    if any(c in auth.username + auth.password for c in "\r\n\0"):
        raise AuthError("the basic auth credentials contain a line break or NUL")
    return wire.basic_auth(auth.username, auth.password)


def _unsendable(exc: ValueError, timeline: Timeline) -> Outcome:
    # What cannot go on the wire (a line break in a header value) is refused before
    # connecting: a bad monitor definition must still produce a result, not stop the executor.
    return Outcome(
        status="down",
        error_kind="connection",
        error=f"request could not be sent: {exc}",
        phases=timeline.phases(),
    )


def _too_many_redirects(exc: TooManyRedirects, timeline: Timeline) -> Outcome:
    return Outcome(
        status="down",
        http_status=exc.status,
        error_kind="too_many_redirects",
        error=f"more than {exc.allowed} redirects (the next one pointed to {exc.location})",
        phases=timeline.phases(),
    )
