"""One process of the target farm: HTTP and HTTPS servers on loopback ports.

Run by the benchmarks, so that serving the checks costs CPU in these processes and
not in the ones being measured. `/svc/{name}` answers 200 until `POST /down/{name}`
takes it down (503) and `DELETE /down/{name}` brings it back: a target that fails on
cue. Prints `ready` once every port listens; stops on SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import signal
import ssl

import msgspec
from aiohttp import web

BODY = b'{"status":"ok","checks":{"db":"ok","cache":"ok"},"version":"1.4.2"}'


class Load:
    """Requests being answered right now, and how many were answered."""

    def __init__(self) -> None:
        self.active = self.served = 0

    @web.middleware
    async def count(self, request: web.Request, handler) -> web.StreamResponse:
        self.active += 1
        try:
            return await handler(request)
        finally:
            self.active -= 1
            self.served += 1


def application(load: Load) -> web.Application:
    down: set[str] = set()

    async def ok(_request: web.Request) -> web.Response:
        return web.Response(body=BODY, content_type="application/json")

    async def svc(request: web.Request) -> web.Response:
        status = 503 if request.match_info["name"] in down else 200
        return web.Response(status=status, body=BODY, content_type="application/json")

    async def take_down(request: web.Request) -> web.Response:
        down.add(request.match_info["name"])
        return web.Response(status=204)

    async def bring_up(request: web.Request) -> web.Response:
        down.discard(request.match_info["name"])
        return web.Response(status=204)

    async def hold(request: web.Request) -> web.Response:
        await asyncio.sleep(int(request.match_info["ms"]) / 1000)
        return web.Response(body=BODY, content_type="application/json")

    async def stats(_request: web.Request) -> web.Response:
        # Less the request asking, which the middleware counts too.
        figures = {"active": load.active - 1, "served": load.served}
        return web.Response(body=msgspec.json.encode(figures), content_type="application/json")

    app = web.Application(middlewares=[load.count])
    app.router.add_get("/ok", ok)
    app.router.add_get("/hold/{ms}", hold)
    app.router.add_get("/stats", stats)
    app.router.add_get("/svc/{name}", svc)
    app.router.add_post("/down/{name}", take_down)
    app.router.add_delete("/down/{name}", bring_up)
    return app


async def serve(args: argparse.Namespace) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)
    runner = web.AppRunner(application(Load()), access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    sites = [web.TCPSite(runner, "127.0.0.1", port, backlog=4096) for port in args.http]
    sites += [
        web.TCPSite(runner, "127.0.0.1", port, ssl_context=context, backlog=4096)
        for port in args.https
    ]
    for site in sites:
        await site.start()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    print("ready", flush=True)
    await stop.wait()
    await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--http", type=int, action="append", required=True)
    parser.add_argument("--https", type=int, action="append", required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    args = parser.parse_args()
    # Every held check is an open socket here too.
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    try:
        import uvloop

        uvloop.run(serve(args))
    except ImportError:
        asyncio.run(serve(args))


if __name__ == "__main__":
    main()
