"""The check logic: a monitor in, an Outcome out, no bus involved. The executor runs it;
it is a library of its own so that each monitor kind module (shared/kinds) can name its check."""

from __future__ import annotations

import asyncio
import ssl
from types import TracebackType
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver

from shared import egress
from shared.kinds import REGISTRY, options_of
from shared.kinds.base import ProbeContext, host_port
from shared.monitors import Monitor
from shared.probes import resolve
from shared.probes.client import Client
from shared.probes.errors import NETWORK_ERRORS, describe, error_kind
from shared.probes.outcome import ERROR_KINDS, Outcome, unsupported
from shared.probes.resolve import Resolver
from shared.probes.timing import Timeline

__all__ = ["ERROR_KINDS", "Checker", "Outcome"]


class Checker:
    """Shared resources for every check of one executor process.

    The http client never reuses a connection, caches no DNS answer and keeps no
    cookies, so each check pays what a first-time visitor pays.
    """

    def __init__(
        self,
        *,
        ssl_context: ssl.SSLContext | None = None,
        policy: egress.Policy | None = None,
        resolver: AbstractResolver | None = None,
    ) -> None:
        # A custom context trusts extra CAs (private PKI) for monitors with verify_tls.
        self._ssl_context = ssl_context
        self._policy = policy or egress.Policy()
        # The name resolver of http checks; another one lets tests answer from a local server.
        self._resolver = resolver or Resolver()
        self._client: Client | None = None

    async def __aenter__(self) -> Checker:
        # The deadline is the monitor's, enforced in run() across every step.
        self._client = Client(self._resolver, self._ssl_context)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._client = None

    async def run(self, monitor: Monitor) -> Outcome:
        kind = REGISTRY.get(monitor.kind)
        if kind is None or kind.probe is None:
            return unsupported(monitor.kind)
        if self._client is None:
            raise RuntimeError("Checker is used outside its `async with` block")
        context = ProbeContext(ssl_context=self._ssl_context, client=self._client)
        timeline = Timeline()
        judged = resolve.policy.set(self._policy)
        try:
            async with asyncio.timeout(monitor.timeout_s):
                return await kind.probe(context, monitor, options_of(monitor), timeline)
        except NETWORK_ERRORS as exc:
            return failure(exc, monitor, timeline)
        finally:
            resolve.policy.reset(judged)


def failure(exc: BaseException, monitor: Monitor, timeline: Timeline) -> Outcome:
    host, port = endpoint(monitor)
    kind = error_kind(exc)
    message = describe(exc, host=host, port=port, timeout_s=monitor.timeout_s)
    stage = timeline.stage()
    if kind == "timeout" and stage:
        message = f"{message} {stage}"
    return Outcome(status="down", error_kind=kind, error=message, phases=timeline.phases())


def endpoint(monitor: Monitor) -> tuple[str, int | None]:
    """Host and port named by the target, for messages; best effort on odd targets."""
    kind = REGISTRY[monitor.kind]
    if kind.target == "host_port":
        try:
            return host_port(monitor.target, kind.default_port)
        except ValueError:
            return monitor.target, None
    if kind.target != "url":
        return monitor.target, None
    try:
        parts = urlsplit(monitor.target)
        port = parts.port or egress.URL_PORTS.get(parts.scheme)
    except ValueError:
        return monitor.target, None
    return parts.hostname or monitor.target, port
