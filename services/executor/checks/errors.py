"""Turn network exceptions into the stable error_kind taxonomy plus a human message."""

from __future__ import annotations

import errno
import socket
import ssl

import aiohttp

from shared.egress import EgressDenied

# What a check may raise for a network problem; anything else is a bug and propagates.
NETWORK_ERRORS: tuple[type[BaseException], ...] = (TimeoutError, aiohttp.ClientError, OSError)


def error_kind(exc: BaseException) -> str:
    """Order matters: gaierror and SSLError are OSErrors, and aiohttp wraps all three."""
    if isinstance(_root(exc), EgressDenied):
        return "egress_denied"
    if isinstance(exc, TimeoutError):
        return "timeout"
    if isinstance(exc, aiohttp.ClientConnectorDNSError | socket.gaierror):
        return "dns"
    if isinstance(exc, aiohttp.ClientSSLError | aiohttp.ServerFingerprintMismatch | ssl.SSLError):
        return "tls"
    if _errno(exc) == errno.ECONNREFUSED:
        return "refused"
    return "connection"


def describe(exc: BaseException, *, host: str, port: int | None, timeout_s: float) -> str:
    """host/port name the target; aiohttp's own win when it has them, as redirects move hosts."""
    kind = error_kind(exc)
    if isinstance(exc, aiohttp.ClientConnectorError):
        host, port = exc.host, exc.port
    if kind == "egress_denied":
        return str(_root(exc))
    if kind == "timeout":
        return f"no response within {timeout_s:g} s"
    if kind == "dns":
        return f"could not resolve {host}: {_reason(exc)}"
    if isinstance(exc, aiohttp.InvalidURL):
        return f"invalid URL {str(exc.url)!r}"
    where = host if port is None else f"{host}:{port}"
    if kind == "refused":
        return f"connection refused by {where}"
    if kind == "tls":
        return f"TLS failure with {where}: {_tls_reason(exc)}"
    return f"connection to {where} failed: {_reason(exc)}"


def _root(exc: BaseException) -> BaseException:
    # aiohttp re-raises an OSError from the connector as ClientOSError, chained by cause.
    if isinstance(exc.__cause__, EgressDenied):
        return exc.__cause__
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return exc.certificate_error
    if isinstance(exc, aiohttp.ClientConnectorError):
        return exc.os_error
    return exc


def _errno(exc: BaseException) -> int | None:
    root = _root(exc)
    return root.errno if isinstance(root, OSError) else None


def _reason(exc: BaseException) -> str:
    root = _root(exc)
    if isinstance(root, OSError) and root.strerror:
        return root.strerror
    return str(root) or type(root).__name__


def _tls_reason(exc: BaseException) -> str:
    root = _root(exc)
    if isinstance(root, ssl.SSLCertVerificationError) and root.verify_message:
        return f"certificate verify failed: {root.verify_message}"
    if isinstance(root, ssl.SSLError) and root.reason:
        return root.reason.lower().replace("_", " ")
    return _reason(exc)
