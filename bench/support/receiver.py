"""A webhook receiver on loopback that notes when each alert arrived."""

from __future__ import annotations

import time
from dataclasses import dataclass

import msgspec
from aiohttp import web

from stack.parts import free_port


@dataclass(frozen=True)
class Alert:
    event: str
    monitor_id: str
    arrived_at: float  # wall clock, comparable with the stack's timestamps
    delivery_id: str


class Receiver:
    def __init__(self) -> None:
        self.port = free_port()
        self.alerts: list[Alert] = []
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/hook", self._hook)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def first(self, event: str, monitor_id: str, after: float) -> float | None:
        """When the first `event` alert of a monitor arrived after a moment, if it did."""
        times = [
            a.arrived_at
            for a in self.alerts
            if a.event == event and a.monitor_id == monitor_id and a.arrived_at >= after
        ]
        return min(times, default=None)

    async def _hook(self, request: web.Request) -> web.Response:
        arrived = time.time()
        body = msgspec.json.decode(await request.read())
        self.alerts.append(
            Alert(
                event=body["event"],
                monitor_id=body.get("monitor", {}).get("id", ""),
                arrived_at=arrived,
                delivery_id=request.headers.get("X-Upmon-Delivery", ""),
            )
        )
        return web.Response(status=204)
