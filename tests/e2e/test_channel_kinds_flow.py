"""The channel kinds added through the registry deliver through the running stack: a
monitor that goes down is announced by the notifier process to Google Chat,
Mattermost and Matrix, each in its own format, here received by a local server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import msgspec
import pytest
from aiohttp import web

from stack.parts import free_port
from tests.conftest import eventually


@dataclass
class Chats:
    url: str = ""
    # (method, path, query, JSON body) of every request, in arrival order.
    seen: list[tuple[str, str, dict[str, str], dict]] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        body = msgspec.json.decode(await request.read())
        self.seen.append((request.method, request.path, dict(request.query), body))
        return web.json_response({"event_id": "$e"})

    def at(self, prefix: str) -> list[tuple[str, str, dict[str, str], dict]]:
        return [s for s in self.seen if s[1].startswith(prefix)]


@pytest.fixture
async def chats() -> AsyncIterator[Chats]:
    c = Chats()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", c.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    c.url = f"http://127.0.0.1:{port}"
    yield c
    await runner.cleanup()


async def channel(api, kind: str, config: dict) -> str:
    body = {"name": kind, "kind": kind, "config": config}
    async with api.post("/api/v1/channels", json=body) as resp:
        assert resp.status == 201, await resp.text()
        return (await resp.json())["id"]


async def test_google_chat_mattermost_and_matrix_announce_a_down_monitor(stack, api, chats):
    ids = [
        await channel(api, "google_chat", {"webhook_url": f"{chats.url}/gchat?key=k&token=t"}),
        await channel(api, "mattermost", {"webhook_url": f"{chats.url}/mm/hooks/x"}),
        await channel(
            api,
            "matrix",
            {"homeserver": chats.url, "access_token": "syt_test", "room_id": "!ops:example.org"},
        ),
    ]
    closed = free_port()  # nothing listens: the check is down from the first try
    body = {
        "name": "shop api",
        "kind": "tcp",
        "target": f"127.0.0.1:{closed}",
        "interval_s": 1,
        "failure_threshold": 1,
        "channel_ids": ids,
    }
    async with api.post("/api/v1/monitors", json=body) as resp:
        assert resp.status == 201, await resp.text()

    await eventually(lambda: _all_three(chats), timeout=30)

    ((method, _, query, gchat),) = chats.at("/gchat")[:1]
    # The webhook's own key and token are kept; one thread per incident.
    assert method == "POST" and query["key"] == "k" and query["token"] == "t"
    assert query["threadKey"]
    assert "shop api" in msgspec.json.encode(gchat).decode()
    (method, _, _, mm) = chats.at("/mm/hooks/x")[0]
    assert method == "POST" and "shop api" in mm["text"]
    (method, path, _, matrix) = chats.at("/_matrix/client/")[0]
    assert method == "PUT" and "/rooms/" in path and "/send/m.room.message/" in path
    assert matrix["msgtype"] in ("m.text", "m.notice") and "shop api" in matrix["body"]


async def _all_three(chats: Chats) -> bool:
    return all(chats.at(p) for p in ("/gchat", "/mm/hooks/x", "/_matrix/client/"))
