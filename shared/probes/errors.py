"""Turn network exceptions into the stable error_kind taxonomy plus a human message."""

from __future__ import annotations

import errno
import socket
import ssl

from shared.egress import EgressDenied
from shared.probes.client import HopError, InvalidUrl
from shared.probes.wire import BadResponse

# What a check may raise for a network problem; anything else is a bug and propagates.
NETWORK_ERRORS: tuple[type[BaseException], ...] = (
    TimeoutError,
    OSError,
    HopError,
    BadResponse,
    InvalidUrl,
)


def error_kind(exc: BaseException) -> str:
    """Order matters: gaierror and SSLError are OSErrors, and a hop wraps all three."""
    root = _root(exc)
    if isinstance(root, EgressDenied):
        return "egress_denied"
    if isinstance(root, TimeoutError):
        return "timeout"
    if isinstance(root, socket.gaierror):
        return "dns"
    if isinstance(root, ssl.SSLError):
        return "tls"
    if isinstance(root, OSError) and root.errno == errno.ECONNREFUSED:
        return "refused"
    return "connection"


def describe(exc: BaseException, *, host: str, port: int | None, timeout_s: float) -> str:
    """host/port name the target; the hop's own win when it has them, as redirects move hosts."""
    kind = error_kind(exc)
    if isinstance(exc, HopError):
        host, port = exc.host, exc.port
    root = _root(exc)
    if kind == "egress_denied":
        return str(root)
    if kind == "timeout":
        return f"no response within {timeout_s:g} s"
    if kind == "dns":
        return f"could not resolve {host}: {_reason(root)}"
    if isinstance(root, InvalidUrl):
        return f"invalid URL {root.url!r}"
    where = host if port is None else f"{host}:{port}"
    if kind == "refused":
        return f"connection refused by {where}"
    if kind == "tls":
        return f"TLS failure with {where}: {_tls_reason(root)}"
    return f"connection to {where} failed: {_reason(root)}"


def _root(exc: BaseException) -> BaseException:
    return exc.error if isinstance(exc, HopError) else exc


def _reason(root: BaseException) -> str:
    if isinstance(root, OSError) and root.strerror:
        return root.strerror
    return str(root) or type(root).__name__


def _tls_reason(root: BaseException) -> str:
    if isinstance(root, ssl.SSLCertVerificationError) and root.verify_message:
        return f"certificate verify failed: {root.verify_message}"
    if isinstance(root, ssl.SSLError) and root.reason:
        return root.reason.lower().replace("_", " ")
    return _reason(root)
