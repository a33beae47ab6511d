"""TLS for http checks on the OpenSSL that `cryptography` ships, through pyOpenSSL's
memory BIOs, instead of the OpenSSL Python is linked with.

Why: a fresh-connection HTTPS check is mostly its handshake, and Python here is linked
with OpenSSL 3.0, whose handshake is known to be slow; `cryptography` bundles a
current OpenSSL. Measured on the same local targets, client CPU per check went from
~1,000-1,400 µs (the loop's SSL transport) to ~620-720 µs (`bench/executor.py`).

Verification is OpenSSL's own, inside the handshake: the chain against the trust
store, and the host name (or IP address) as Python's default context checks it, no
partial wildcards. Failures are raised as the ssl module's exceptions, so the error
taxonomy (errors.py) and its messages are the same whichever library shook hands.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import ssl
from typing import Any

from cryptography import x509
from OpenSSL import SSL, crypto
from OpenSSL._util import ffi, lib

_X509_V_OK = 0
# Python's own wording for the two name mismatches (what users of the ssl module see).
_MISMATCH = {
    62: "Hostname mismatch, certificate is not valid for '{}'.",
    64: "IP address mismatch, certificate is not valid for '{}'.",
}
# A TLS record's plaintext at most: pyOpenSSL allocates this much for each read.
_READ = 16 * 1024


class Contexts:
    """The two client contexts of a Checker: verifying (system trust, or the CAs of a
    given ssl context, e.g. a private PKI) and not verifying."""

    def __init__(self, trust: ssl.SSLContext | None) -> None:
        self.verifying = _context(verify=True)
        if trust is None:
            paths = ssl.get_default_verify_paths()
            if paths.cafile or paths.capath:
                self.verifying.load_verify_locations(paths.cafile, paths.capath)
        else:
            store = self.verifying.get_cert_store()
            assert store is not None
            for der in trust.get_ca_certs(binary_form=True):
                store.add_cert(crypto.load_certificate(crypto.FILETYPE_ASN1, der))
        self.plain = _context(verify=False)

    def get(self, verify: bool) -> SSL.Context:
        return self.verifying if verify else self.plain


def _context(verify: bool) -> SSL.Context:
    ctx = SSL.Context(SSL.TLS_CLIENT_METHOD)
    ctx.set_min_proto_version(SSL.TLS1_2_VERSION)
    ctx.set_options(SSL.OP_NO_COMPRESSION)
    # Read and write buffers are freed between records, as Python's ssl does: a thousand
    # checks waiting on slow servers would otherwise hold ~90 KB each.
    ctx.set_mode(SSL.MODE_RELEASE_BUFFERS)
    ctx.set_alpn_protos([b"http/1.1"])
    ctx.set_verify(SSL.VERIFY_PEER if verify else SSL.VERIFY_NONE)
    return ctx


async def start_tls(
    raw: asyncio.Transport, app: asyncio.Protocol, ctx: SSL.Context, host: str, verify: bool
) -> TlsTransport:
    """Shake hands over `raw` and return the transport `app` now writes plaintext to;
    from here on, what arrives decrypted goes to `app`."""
    layer = _Layer(raw, app, _connection(ctx, host, verify), host, verify)
    raw.set_protocol(layer)
    layer.shake()
    await layer.handshake
    return layer.transport


def _connection(ctx: SSL.Context, host: str, verify: bool) -> SSL.Connection:
    conn = SSL.Connection(ctx, None)
    conn.set_connect_state()
    ip = _ip(host)
    if ip is None:
        # No SNI for an address (RFC 6066), as Python does.
        conn.set_tlsext_host_name(host.encode("idna"))
    if verify:
        param = lib.SSL_get0_param(conn._ssl)
        lib.X509_VERIFY_PARAM_set_hostflags(param, lib.X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS)
        if ip is None:
            name = host.encode("idna")
            ok = lib.X509_VERIFY_PARAM_set1_host(param, name, len(name))
        else:
            ok = lib.X509_VERIFY_PARAM_set1_ip(param, ip, len(ip))
        if ok != 1:
            raise ssl.SSLError(f"cannot verify the name {host!r}")
    return conn


@functools.lru_cache(maxsize=1024)
def _ip(host: str) -> bytes | None:
    try:
        return ipaddress.ip_address(host.strip("[]")).packed
    except ValueError:
        return None


class TlsTransport:
    """What the app writes to: plaintext in, records out on the TCP transport."""

    def __init__(self, layer: _Layer) -> None:
        self._layer = layer

    def write(self, data: bytes) -> None:
        self._layer.send(data)

    def abort(self) -> None:
        self._layer.raw.abort()

    def peer_certificate(self) -> x509.Certificate | None:
        """The server's certificate once verified (None unverified, as with Python's ssl)."""
        return self._layer.peer_certificate()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._layer.raw.get_extra_info(name, default)


class _Layer(asyncio.Protocol):
    """Between the TCP transport and the app: the handshake, then records both ways."""

    def __init__(
        self, raw: asyncio.Transport, app: asyncio.Protocol, conn: SSL.Connection, host: str,
        verify: bool,
    ) -> None:  # fmt: skip
        self.raw, self.app, self.conn, self.host, self.verify = raw, app, conn, host, verify
        self.handshake: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.transport = TlsTransport(self)
        self.shaken = False

    def shake(self) -> None:
        try:
            self.conn.do_handshake()
        except SSL.WantReadError:
            self._flush()
            return
        except SSL.Error as exc:
            self._flush()  # the alert, so the server learns why
            self.raw.abort()
            self._settle(self._error(exc))
            return
        self.shaken = True
        self._settle(None)
        # Our Finished goes out with the request the app writes next, in one send; the
        # callback sends it in case the app writes nothing.
        asyncio.get_running_loop().call_soon(self._flush)

    def send(self, data: bytes) -> None:
        self.conn.sendall(data)
        self._flush()

    def peer_certificate(self) -> x509.Certificate | None:
        if not self.verify:
            return None
        return self.conn.get_peer_certificate(as_cryptography=True)

    def data_received(self, data: bytes) -> None:
        self.conn.bio_write(data)
        if not self.shaken:
            self.shake()
            if not self.shaken:
                return
        self._read()

    def eof_received(self) -> bool:
        if not self.shaken:
            self._settle(ssl.SSLEOFError(8, "EOF occurred in violation of protocol"))
            return False
        self.conn.bio_shutdown()
        self._read()
        self.app.eof_received()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.handshake.done():
            self._settle(exc or ConnectionResetError("connection closed during the handshake"))
            return
        if self.shaken:
            self.app.connection_lost(exc)

    def _read(self) -> None:
        chunks = []
        while True:
            try:
                chunks.append(self.conn.recv(_READ))
            except SSL.WantReadError:
                break
            except (SSL.ZeroReturnError, SSL.SysCallError):
                break  # close_notify, or the peer closed without one: EOF either way
            except SSL.Error as exc:
                self.raw.abort()
                self.app.connection_lost(self._error(exc))
                return
        self._flush()
        data = b"".join(chunks)
        if data:
            self.app.data_received(data)

    def _flush(self) -> None:
        while True:
            try:
                self.raw.write(self.conn.bio_read(_READ))
            except SSL.WantReadError:
                return

    def _settle(self, exc: BaseException | None) -> None:
        if self.handshake.done():
            return
        if exc is None:
            self.handshake.set_result(None)
        else:
            self.handshake.set_exception(exc)

    def _error(self, exc: SSL.Error) -> ssl.SSLError:
        code = lib.SSL_get_verify_result(self.conn._ssl)
        if self.verify and code != _X509_V_OK:
            return _verify_error(code, self.host)
        return _ssl_error(exc)


def _verify_error(code: int, host: str) -> ssl.SSLCertVerificationError:
    message = (
        _MISMATCH.get(code, "").format(host)
        or ffi.string(lib.X509_verify_cert_error_string(code)).decode()
    )
    err = ssl.SSLCertVerificationError(
        1, f"[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: {message}"
    )
    err.verify_code, err.verify_message = code, message
    err.library, err.reason = "SSL", "CERTIFICATE_VERIFY_FAILED"
    return err


def _ssl_error(exc: SSL.Error) -> ssl.SSLError:
    """OpenSSL's reason (its error queue's last entry), as the ssl module names it:
    'wrong version number' becomes WRONG_VERSION_NUMBER."""
    queue = exc.args[0] if exc.args and isinstance(exc.args[0], list) else []
    text = str(queue[-1][2]) if queue and len(queue[-1]) == 3 else str(exc) or "handshake failed"
    reason = text.upper().replace(" ", "_")
    err = ssl.SSLError(1, f"[SSL: {reason}] {text}")
    err.library, err.reason = "SSL", reason
    return err
