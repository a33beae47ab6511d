"""Ping checks: ICMP echoes spread over the monitor's timeout, judged on loss and RTT."""

from __future__ import annotations

import socket

import icmplib

from shared.kinds.ping import PingSpec
from shared.monitors import Monitor
from shared.probes.outcome import Outcome, OutcomeStatus
from shared.probes.resolve import addr_infos, allowed, is_ip_literal
from shared.probes.timing import Timeline, now_ms

_INTERVAL_S = 0.2
# Left of the monitor's timeout for the socket and the verdict, so the last echo's wait
# ends before the deadline does.
_MARGIN_S = 0.05

Verdict = tuple[OutcomeStatus, str | None, str | None]


async def probe(monitor: Monitor, timeline: Timeline) -> Outcome:
    spec = monitor.ping or PingSpec()
    started = now_ms()
    address = await _address(monitor.target, timeline)
    budget_s = monitor.timeout_s - (now_ms() - started) / 1000 - _MARGIN_S
    interval_s, wait_s = spread(spec.count, budget_s)
    try:
        host = await _echo(address, spec.count, interval_s, wait_s)
    except (icmplib.SocketPermissionError, PermissionError):
        return _not_permitted(timeline)
    except icmplib.ICMPLibError as exc:
        message = f"could not send echoes to {address}: {exc}"
        return Outcome(
            status="down", error_kind="connection", error=message, phases=timeline.phases()
        )
    status, kind, error = judge(spec, host.rtts, address)
    details = stats(spec.count, host.packets_sent, host.rtts)
    return Outcome(
        status=status,
        latency_ms=details["rtt_avg_ms"],
        error_kind=kind,
        error=error,
        phases=timeline.phases(),
        details=details,
    )


def spread(count: int, budget_s: float) -> tuple[float, float]:
    """Interval between echoes and the wait for each reply, so that all fit in budget_s.

    On short budgets the interval shrinks to a quarter of each echo's share: most of
    the time goes to waiting for replies, as a slow reply still counts and a lost one
    should not be declared early.
    """
    budget_s = max(budget_s, 0.001 * count)
    interval_s = min(_INTERVAL_S, budget_s / (4 * count))
    wait_s = (budget_s - interval_s * (count - 1)) / count
    return interval_s, wait_s


def judge(spec: PingSpec, rtts: list[float], address: str) -> Verdict:
    lost = spec.count - len(rtts)
    if not rtts:
        return "down", "timeout", f"{lost} of {spec.count} echoes lost: no reply from {address}"
    loss_pct = 100.0 * lost / spec.count
    if loss_pct > spec.max_loss_pct:
        message = (
            f"{lost} of {spec.count} echoes lost ({loss_pct:.1f}% > "
            f"max_loss_pct {spec.max_loss_pct:g}%)"
        )
        return "down", "packet_loss", message
    avg = sum(rtts) / len(rtts)
    if spec.degraded_rtt_ms is not None and avg > spec.degraded_rtt_ms:
        message = f"average RTT {avg:.1f} ms is above degraded_rtt_ms ({spec.degraded_rtt_ms:g} ms)"
        return "degraded", None, message
    return "up", None, None


def stats(count: int, sent: int, rtts: list[float]) -> dict[str, int | float | None]:
    got = bool(rtts)
    return {
        "sent": sent,
        "received": len(rtts),
        "loss_pct": round(100.0 * (count - len(rtts)) / count, 1),
        "rtt_min_ms": round(min(rtts), 3) if got else None,
        "rtt_avg_ms": round(sum(rtts) / len(rtts), 3) if got else None,
        "rtt_max_ms": round(max(rtts), 3) if got else None,
    }


async def _address(target: str, timeline: Timeline) -> str:
    host = target.strip("[]")
    if is_ip_literal(host):
        return allowed(host, None)
    timeline.start("dns_ms")
    infos = await addr_infos(host, 0)
    timeline.stop("dns_ms")
    # IPv4 first, as icmplib itself resolves: a name with an IPv6 address on a host
    # without an IPv6 route would otherwise lose every echo.
    ipv4 = [info for info in infos if info[0] == socket.AF_INET]
    return str((ipv4 or infos)[0][4][0])


async def _echo(address: str, count: int, interval_s: float, wait_s: float) -> icmplib.Host:
    try:
        return await icmplib.async_ping(
            address, count=count, interval=interval_s, timeout=wait_s, privileged=True
        )
    except (icmplib.SocketPermissionError, PermissionError):
        # Without CAP_NET_RAW, Linux still allows datagram ICMP sockets to the groups
        # in net.ipv4.ping_group_range.
        return await icmplib.async_ping(
            address, count=count, interval=interval_s, timeout=wait_s, privileged=False
        )


def _not_permitted(timeline: Timeline) -> Outcome:
    return Outcome(
        status="down",
        error_kind="unsupported",
        error="this executor may not send ICMP echoes: it needs CAP_NET_RAW "
        "or its group in net.ipv4.ping_group_range",
        phases=timeline.phases(),
    )
