"""Real redis-server processes on loopback (Debian's package, installed by the test
set-up when missing; a failed install fails the test with apt's output): one that asks
for a password, also on a TLS port with a certificate of the given CA, with two ACL
users, and one without any password."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from stack.parts import free_port
from tests.debian_tools import tool
from tests.integration.servers.certs import TestCA

# A space and a non-ASCII letter: AUTH carries the password as a bulk string, byte for byte.
PASSWORD = "s3cret pässword"
# An ACL user allowed PING and SELECT only, as a monitoring user would be; one allowed nothing.
PROBE_USER, PROBE_PASSWORD = "probe", "probe-pw"
MUTE_USER, MUTE_PASSWORD = "mute", "mute-pw"
_READY_S = 15


@dataclass
class Redis:
    port: int  # the default user needs PASSWORD
    tls_port: int
    open_port: int  # the second server: no password at all

    def connections_received(self) -> int:
        """What the guarded server counted, by redis-cli (itself one more connection)."""
        info = subprocess.run(
            ["redis-cli", "-p", str(self.port), "--no-auth-warning", "-a", PASSWORD, "INFO"],
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout  # fmt: skip
        line = next(x for x in info.splitlines() if x.startswith("total_connections_received:"))
        return int(line.split(":")[1])


def _start(binary: Path, directory: Path, name: str, args: list[str]) -> subprocess.Popen[bytes]:
    log = (directory / f"{name}.log").open("wb")
    common = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(directory)]
    return subprocess.Popen([str(binary), *common, *args], stdout=log, stderr=subprocess.STDOUT)


def _wait_listening(proc: subprocess.Popen[bytes], *ports: int) -> None:
    deadline = time.monotonic() + _READY_S
    for port in ports:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"redis-server exited with {proc.returncode} before listening")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"redis-server did not listen on {port} within {_READY_S} s")
                time.sleep(0.02)


@contextlib.contextmanager
def redis_servers(directory: Path, ca: TestCA) -> Iterator[Redis]:
    binary = tool("redis-server", "redis-server")
    cert, key = ca.issue().write(directory)
    ca_file = directory / "ca.pem"
    ca_file.write_bytes(ca.cert_pem)
    server = Redis(port=free_port(), tls_port=free_port(), open_port=free_port())
    tls = ["--tls-port", str(server.tls_port), "--tls-cert-file", str(cert)]
    tls += ["--tls-key-file", str(key), "--tls-ca-cert-file", str(ca_file)]
    tls += ["--tls-auth-clients", "no"]
    users = ["--user", PROBE_USER, "on", f">{PROBE_PASSWORD}", "-@all", "+ping", "+select"]
    users += ["--user", MUTE_USER, "on", f">{MUTE_PASSWORD}", "-@all"]
    guarded_args = ["--port", str(server.port), "--requirepass", PASSWORD, *tls, *users]
    guarded = _start(binary, directory, "guarded", guarded_args)
    open_ = _start(binary, directory, "open", ["--port", str(server.open_port)])
    try:
        _wait_listening(guarded, server.port, server.tls_port)
        _wait_listening(open_, server.open_port)
        yield server
    finally:
        for proc in (guarded, open_):
            proc.terminate()
            proc.wait(10)
