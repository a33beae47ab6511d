"""`upmon queues`: every stream and consumer, read straight from JetStream."""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from shared.placement import Placement, describe, placement

if TYPE_CHECKING:
    from shared.config import Settings


class QueueRow(msgspec.Struct):
    stream: str
    consumer: str
    messages: int
    pending: int
    ack_pending: int
    redelivered: int
    # Leader and copies on a cluster (none on a single server).
    placement: Placement | None = None


async def queue_rows(nats_url: str | Settings) -> list[QueueRow]:
    from cli.replay import jetstream

    rows = []
    async with jetstream(nats_url) as js:
        for info in await js.streams_info():
            name = info.config.name
            rows.append(QueueRow(name, "", info.state.messages, 0, 0, 0, placement(info.cluster)))
            for c in await js.consumers_info(name):
                counts = (c.num_pending or 0, c.num_ack_pending or 0, c.num_redelivered or 0)
                where = placement(c.cluster)
                rows.append(QueueRow(name, c.name, info.state.messages, *counts, where))
    return rows


def render(rows: list[QueueRow], as_json: bool = False) -> str:
    if as_json:
        return msgspec.json.encode(rows).decode()
    head = ("STREAM", "CONSUMER", "MESSAGES", "PENDING", "ACK_PENDING", "REDELIVERED")
    # Only a cluster has placements worth a column.
    clustered = any(r.placement for r in rows)
    table = [(*head, "LEADER (REPLICAS)") if clustered else head] + [
        (
            r.stream,
            r.consumer or "-",
            *map(str, (r.messages, r.pending, r.ack_pending, r.redelivered)),
            *([describe(r.placement)] if clustered else []),
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in table
    )
