"""A consumer process for crash tests: it announces each message it starts, then hangs,
so the test can kill -9 it mid-handler."""

import asyncio
import sys
from pathlib import Path

import msgspec

from shared import bus, runner
from shared.topology import ConsumerSpec


async def main(url: str, marker: str) -> None:
    nc = await bus.connect(url, name="crashing-worker")
    js = bus.jetstream(nc)

    async def handler(env) -> None:
        Path(marker).write_text(env.event["n"].__str__())
        await asyncio.Event().wait()

    spec = ConsumerSpec("TEST", "worker", "test.>", ack_wait_s=1.0)
    decoder = msgspec.json.Decoder(dict)
    await runner.run(
        js, runner.Consumer(spec=spec, decoder=decoder, handler=handler), asyncio.Event()
    )


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
