"""A plain gRPC server on loopback with the standard health service, one service set."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1.health import aio as health_aio

Status = health_pb2.HealthCheckResponse


@asynccontextmanager
async def health_server(service: str = "", status: int = Status.SERVING) -> AsyncIterator[int]:
    """Yields the port of a server whose health service says `status` for `service`."""
    health = health_aio.HealthServicer()
    if service:
        await health.set(service, status)
    server = grpc.aio.server()
    health_pb2_grpc.add_HealthServicer_to_server(health, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    try:
        yield port
    finally:
        await server.stop(0)
