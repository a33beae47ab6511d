"""Configuration: environment variables parsed once into one typed struct (12-factor).

Every default works for `upmon up` on one machine. Field `nats_url` is read from
`UPMON_NATS_URL`, and so on: the variable is the field name upper-cased with the
`UPMON_` prefix.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Mapping
from typing import Annotated, Literal
from urllib.parse import urlsplit

import msgspec

PREFIX = "UPMON_"
_ORIGIN = r"(?:'self'|https?://(?:\*\.)?[A-Za-z0-9.-]{1,253}(?::[0-9]{1,5})?)"
_FRAME_ANCESTORS = rf"^(?:{_ORIGIN}(?: {_ORIGIN}){{0,31}})?\Z"


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    # One server, or a comma-separated list of a cluster's servers (nats:// or tls://).
    nats_url: Annotated[str, msgspec.Meta(max_length=4096)] = "nats://127.0.0.1:4222"
    # NATS credentials: at most one of user/password, token, NKey seed file, .creds file.
    nats_user: Annotated[str, msgspec.Meta(max_length=256)] = ""
    nats_password: Annotated[str, msgspec.Meta(max_length=1024)] = ""
    nats_token: Annotated[str, msgspec.Meta(max_length=1024)] = ""
    nats_nkey_seed_file: Annotated[str, msgspec.Meta(max_length=4096)] = ""
    nats_creds_file: Annotated[str, msgspec.Meta(max_length=4096)] = ""
    # TLS to NATS: a CA to verify the servers, and a client certificate if they ask for one.
    nats_tls_ca_file: Annotated[str, msgspec.Meta(max_length=4096)] = ""
    nats_tls_cert_file: Annotated[str, msgspec.Meta(max_length=4096)] = ""
    nats_tls_key_file: Annotated[str, msgspec.Meta(max_length=4096)] = ""
    # JetStream domain of the hub, for services behind a leaf node (the hub servers set
    # `jetstream { domain: ... }`); empty on the hub itself.
    nats_domain: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_-]{0,64}$")] = ""
    # Copies of every stream, durable consumer and KV bucket: 1 on one server, 3 on a cluster.
    nats_replicas: Annotated[int, msgspec.Meta(ge=1, le=5)] = 1
    # How long a publish is retried through a leader election or a node restart before the
    # consumer gives up on its input (not acked, so it comes again).
    nats_publish_deadline_s: Annotated[float, msgspec.Meta(gt=0, le=300)] = 30.0
    pg_dsn: str = "postgresql://postgres@127.0.0.1:55432/upmon"
    pg_pool_max: Annotated[int, msgspec.Meta(ge=1)] = 10
    clickhouse_url: str = "http://127.0.0.1:8123"
    clickhouse_database: str = "upmon"
    clickhouse_user: str = "default"
    clickhouse_password: str = ""
    # A ClickHouse cluster (its name in remote_servers): replicated local tables and
    # Distributed tables ON CLUSTER, sharded by monitor id. Empty: the single-node schema.
    clickhouse_cluster: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_.-]{0,64}$")] = ""
    # Raw check results older than this are dropped by a ClickHouse TTL.
    clickhouse_raw_ttl_days: Annotated[int, msgspec.Meta(ge=1)] = 90
    # Region this executor checks from; one durable consumer per region.
    region: Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$")] = "default"
    api_host: str = "127.0.0.1"
    api_port: Annotated[int, msgspec.Meta(ge=0, le=65535)] = 8080
    # Base URL users reach the API on; used in links (push URLs, notifications).
    public_url: str = "http://127.0.0.1:8080"
    # /metrics port of non-api services; 0 disables the listener.
    metrics_port: Annotated[int, msgspec.Meta(ge=0, le=65535)] = 0
    metrics_host: str = "127.0.0.1"
    log_format: Literal["auto", "json", "console"] = "auto"
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    replica_id: str = ""
    # Consumer runner defaults.
    max_deliver: Annotated[int, msgspec.Meta(ge=1)] = 8
    backoff_base_s: Annotated[float, msgspec.Meta(gt=0)] = 1.0
    backoff_max_s: Annotated[float, msgspec.Meta(gt=0)] = 300.0
    executor_concurrency: Annotated[int, msgspec.Meta(ge=1)] = 200
    # Retention of the RESULTS stream, for replay and rebuilds.
    results_max_age_days: Annotated[float, msgspec.Meta(gt=0)] = 7.0
    # Dedup window of due checks: a scheduler restart re-publishes recent slots safely.
    due_duplicate_window_s: Annotated[float, msgspec.Meta(gt=0)] = 600.0
    outbox_poll_s: Annotated[float, msgspec.Meta(gt=0)] = 1.0
    # How long the recorder waits to fill a ClickHouse insert: check-to-row latency
    # against insert count (ClickHouse wants about one insert a second per table).
    recorder_linger_s: Annotated[float, msgspec.Meta(ge=0, le=60)] = 1.0
    # The same for the notifier's state transactions: alert latency against CPU.
    notifier_linger_s: Annotated[float, msgspec.Meta(ge=0, le=10)] = 0.1
    # How often the recorder samples queue depth, rates and replica costs into history.
    ops_sample_every_s: Annotated[float, msgspec.Meta(ge=1, le=3600)] = 10.0
    # Reconcile the scheduler's monitor set with Postgres this often.
    scheduler_reconcile_s: Annotated[float, msgspec.Meta(gt=0)] = 60.0
    # Monitors hash into this many partitions, shared out among scheduler replicas.
    scheduler_partitions: Annotated[int, msgspec.Meta(ge=1, le=4096)] = 64
    webhook_timeout_s: Annotated[float, msgspec.Meta(gt=0)] = 10.0
    # How often the notifier looks for due reminders and escalations.
    sweep_every_s: Annotated[float, msgspec.Meta(gt=0)] = 5.0
    # The notifier's anomaly pass: how often it runs, the trailing window its latency
    # verdicts read (one a pass, min_consecutive in a row), the window of its failure-rate
    # verdicts, and how far behind now they end (results still in the recorder's batch).
    anomaly_every_s: Annotated[float, msgspec.Meta(ge=1, le=3600)] = 60.0
    anomaly_window_s: Annotated[float, msgspec.Meta(ge=1, le=86_400)] = 600.0
    anomaly_failure_window_s: Annotated[float, msgspec.Meta(ge=1, le=86_400)] = 1800.0
    anomaly_lag_s: Annotated[float, msgspec.Meta(ge=0, le=600)] = 5.0
    # GET /health/queue answers 503 past these limits; 0 turns a limit off. Dead letters
    # stay in the DLQ for weeks, so counting them is off unless an operator opts in.
    health_max_pending: Annotated[int, msgspec.Meta(ge=0)] = 10_000
    health_max_redelivered: Annotated[int, msgspec.Meta(ge=0)] = 1_000
    health_max_dead_letters: Annotated[int, msgspec.Meta(ge=0)] = 0
    # Twice the liveness beat (10 s): one late beat is tolerated, two are not.
    health_max_scheduler_age_s: Annotated[float, msgspec.Meta(ge=0)] = 20.0
    # Lifetime of a login token (POST /api/v1/auth/login).
    session_ttl_s: Annotated[float, msgspec.Meta(gt=0)] = 12 * 3600.0
    # Login attempts allowed per client address within the sliding window.
    login_attempts_max: Annotated[int, msgspec.Meta(ge=1)] = 10
    login_window_s: Annotated[float, msgspec.Meta(gt=0)] = 300.0
    # Reverse proxies in front of the api that append to X-Forwarded-For; 0 trusts none
    # and takes the peer address (a client could forge the header otherwise).
    trusted_proxy_hops: Annotated[int, msgspec.Meta(ge=0)] = 0
    # AES-256 key (32 bytes, base64url) that seals monitor and channel secrets in
    # Postgres and on the bus; the api, executor and notifier need it. `upmon up`
    # generates one into its data dir. Old keys still open values they sealed
    # until `upmon secrets rotate` has re-sealed them with the current key.
    secret_key: str = ""
    secret_key_old: str = ""
    # A token Prometheus may send to GET /metrics/monitors instead of an API key;
    # empty: only API keys (any scope) are accepted there.
    metrics_scrape_token: Annotated[str, msgspec.Meta(max_length=200)] = ""
    # API token buckets (see services/api/ratelimit.py): requests a second each key or
    # login session may make on average, and how many it may make at once. The address
    # bucket covers routes without credentials (push, status pages, badges, login).
    # A rate of 0 turns that limit off.
    rate_limit_key_rps: Annotated[float, msgspec.Meta(ge=0, le=1_000_000)] = 20.0
    rate_limit_key_burst: Annotated[int, msgspec.Meta(ge=1, le=10_000_000)] = 200
    rate_limit_address_rps: Annotated[float, msgspec.Meta(ge=0, le=1_000_000)] = 10.0
    rate_limit_address_burst: Annotated[int, msgspec.Meta(ge=1, le=10_000_000)] = 100
    # Origins allowed to frame public status pages (CSP frame-ancestors), space-separated,
    # e.g. "https://intranet.example.com 'self'"; empty refuses every frame.
    status_frame_ancestors: Annotated[
        str, msgspec.Meta(max_length=2000, pattern=_FRAME_ANCESTORS)
    ] = ""
    # /metrics/monitors is served from a snapshot remade in the background once older
    # than this; 0 reads and renders on every scrape.
    metrics_monitors_max_age_s: Annotated[float, msgspec.Meta(ge=0, le=3600)] = 10.0
    # The same for /metrics/queues (JetStream depths and placement).
    metrics_queues_max_age_s: Annotated[float, msgspec.Meta(ge=0, le=3600)] = 5.0
    # Egress policy (shared/egress.py): comma lists of CIDRs/addresses/names, optional :port.
    egress_allow: Annotated[str, msgspec.Meta(max_length=8192)] = ""
    egress_deny: Annotated[str, msgspec.Meta(max_length=8192)] = ""
    # Listeners of upmon's own parts beyond those named above (`upmon up` lists them all).
    egress_own: Annotated[str, msgspec.Meta(max_length=8192)] = ""
    # Deny RFC 1918, CGNAT, loopback and ULA; off so `upmon up` can check local services.
    egress_private: bool = False


class ConfigError(ValueError):
    pass


def load(env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Read `UPMON_*` variables; bad values raise ConfigError naming the variable."""
    env = os.environ if env is None else env
    raw: dict[str, object] = {}
    for field in msgspec.structs.fields(Settings):
        value = env.get(PREFIX + field.name.upper())
        if value is not None and value != "":
            raw[field.name] = value
    raw.update(overrides)
    # A replica id names this process in liveness records and consumer logs.
    raw.setdefault("replica_id", f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:4]}")
    try:
        settings = msgspec.convert(raw, Settings, strict=False)
    except msgspec.ValidationError as exc:
        raise ConfigError(_explain(exc)) from None
    nats_servers(settings.nats_url)
    _check_nats_auth(settings)
    return settings


_NATS_SCHEMES = ("nats", "tls")


def nats_servers(url: str) -> list[str]:
    """The servers of `UPMON_NATS_URL` (one, or a comma-separated list), each checked:
    a nats:// or tls:// URL with a host and a port. Raises ConfigError naming the variable."""
    servers = [part.strip() for part in url.split(",") if part.strip()]
    if not servers or len(servers) > 32:
        raise ConfigError(f"{PREFIX}NATS_URL: give 1 to 32 servers, comma-separated")
    for server in servers:
        try:
            parsed = urlsplit(server)
            port = parsed.port
        except ValueError:
            port, parsed = None, None
        if parsed is None or parsed.scheme not in _NATS_SCHEMES or not parsed.hostname or not port:
            raise ConfigError(
                f"{PREFIX}NATS_URL: {server!r} is not nats://host:port or tls://host:port"
            )
    return servers


def _check_nats_auth(s: Settings) -> None:
    ways = [
        name
        for name, given in (
            ("NATS_USER", s.nats_user),
            ("NATS_TOKEN", s.nats_token),
            ("NATS_NKEY_SEED_FILE", s.nats_nkey_seed_file),
            ("NATS_CREDS_FILE", s.nats_creds_file),
        )
        if given
    ]
    if len(ways) > 1:
        raise ConfigError(
            f"{PREFIX}{ways[1]}: set only one of {', '.join(PREFIX + w for w in ways)}"
        )
    if bool(s.nats_user) != bool(s.nats_password):
        missing = "NATS_PASSWORD" if s.nats_user else "NATS_USER"
        raise ConfigError(f"{PREFIX}{missing}: user and password go together")
    if bool(s.nats_tls_cert_file) != bool(s.nats_tls_key_file):
        missing = "NATS_TLS_KEY_FILE" if s.nats_tls_cert_file else "NATS_TLS_CERT_FILE"
        raise ConfigError(f"{PREFIX}{missing}: a client certificate needs its key, and back")


def _explain(exc: msgspec.ValidationError) -> str:
    msg = str(exc)
    if "$." in msg:
        field = msg.rsplit("$.", 1)[1].rstrip("`")
        return f"{PREFIX}{field.upper()}: {msg.split(' - at ')[0]}"
    return msg


def env_names() -> list[str]:
    return [PREFIX + f.name.upper() for f in msgspec.structs.fields(Settings)]
