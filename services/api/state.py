"""What every handler reaches through `request.app[STATE]`."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import asyncpg
from aiohttp import web
from clickhouse_connect.driver.asyncclient import AsyncClient
from nats.aio.client import Client
from nats.js import JetStreamContext

from services.api.cache import TtlCache
from services.api.metrics_snapshot import SnapshotCache
from services.api.stores.monitor_metrics import UptimeCache
from shared.config import Settings
from shared.sealing import Keyring


@dataclass
class ApiState:
    settings: Settings
    pool: asyncpg.Pool
    nc: Client
    js: JetStreamContext
    ch: AsyncClient
    # key id -> monotonic time last_used_at was written (see auth.py).
    key_touches: dict[str, float] = field(default_factory=dict)
    # Monotonic time this replica last deleted idle rate buckets (see ratelimit.py).
    rate_swept_at: float = 0.0
    # Bucket -> monotonic time it has a token again, for buckets found empty.
    rate_denied: dict[str, float] = field(default_factory=dict)
    # Badges and public status pages, computed once per 30 s whoever asks.
    public_cache: TtlCache = field(default_factory=TtlCache)
    # Seals and opens secrets; built from settings, so a missing key stops the api at start.
    keyring: Keyring = field(init=False)
    # The last /metrics/monitors body (see metrics_snapshot.py).
    monitor_metrics: SnapshotCache = field(default_factory=SnapshotCache)
    # Its 24-hour uptimes, remade less often than the body.
    monitor_uptime: UptimeCache = field(default_factory=UptimeCache)
    # The last /metrics/queues body.
    queue_metrics: SnapshotCache = field(default_factory=SnapshotCache)
    # Held while this replica moves NATS leaders (ops/leaders).
    leadership_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        self.keyring = Keyring.from_settings(self.settings)


STATE = web.AppKey("state", ApiState)


def of(request: web.Request) -> ApiState:
    return request.app[STATE]
