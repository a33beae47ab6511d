"""TCP: connect, optionally send bytes, optionally wait for expected bytes."""

from __future__ import annotations

from typing import Annotated, Any

from msgspec import Meta

from shared.kinds.base import (
    FieldError,
    FormField,
    MonitorKind,
    Options,
    ProbeContext,
    errors,
    host_port_error,
)

MAX_TCP_BYTES = 4096


class TcpSpec(Options, kw_only=True):
    # Sent and expected as they are (a protocol may need CR/LF), only bounded.
    send: Annotated[str, Meta(max_length=MAX_TCP_BYTES)] | None = None
    expect: Annotated[str, Meta(max_length=MAX_TCP_BYTES)] | None = None


def rules(fields: Any, _spec: TcpSpec) -> list[FieldError]:
    return errors("target", host_port_error(fields.target, port_required=True))


async def probe(_ctx: ProbeContext, monitor: Any, _spec: TcpSpec, timeline: Any) -> Any:
    from shared.probes import tcp

    return await tcp.probe(monitor, timeline)


KIND = MonitorKind(
    name="tcp",
    title="TCP",
    options=TcpSpec,
    target="host_port",
    target_example="db.example.com:5432",
    probe=probe,
    rules=rules,
    summary="A TCP connect, optionally a message sent and an answer expected.",
    error_kinds=frozenset({"expect"}),
    form=(
        FormField("send", "Send", "textarea", help="Bytes sent after connecting (optional)"),
        FormField("expect", "Expect", "text", help="Bytes the answer must contain (optional)"),
    ),
)
