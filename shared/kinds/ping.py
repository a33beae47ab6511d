"""Ping: ICMP echoes spread over the monitor's timeout, judged on loss and round trip."""

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
    is_hostname,
    is_ip,
)


class PingSpec(Options, kw_only=True):
    count: Annotated[int, Meta(ge=1, le=20)] = 3
    # Down when more than this share of the echoes is lost.
    max_loss_pct: Annotated[float, Meta(ge=0, le=100)] = 0.0
    degraded_rtt_ms: Annotated[float, Meta(gt=0)] | None = None


def rules(fields: Any, _spec: PingSpec) -> list[FieldError]:
    ok = is_hostname(fields.target) or is_ip(fields.target)
    return errors("target", None if ok else "must be a host name or IP address")


async def probe(_ctx: ProbeContext, monitor: Any, _spec: PingSpec, timeline: Any) -> Any:
    from shared.probes import ping

    return await ping.probe(monitor, timeline)


KIND = MonitorKind(
    name="ping",
    title="Ping (ICMP)",
    options=PingSpec,
    target="address",
    target_example="example.com",
    probe=probe,
    rules=rules,
    summary="ICMP echoes; down on loss, degraded on a slow round trip.",
    error_kinds=frozenset({"packet_loss"}),
    form=(
        FormField("count", "Echoes per check", "number"),
        FormField("max_loss_pct", "Down above this loss (%)", "number"),
        FormField("degraded_rtt_ms", "Degraded above this round trip (ms)", "number"),
    ),
)
