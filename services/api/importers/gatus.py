"""Gatus: the `endpoints` of its YAML configuration, and the `alerting` providers
they alert through. Conditions on [STATUS], [RESPONSE_TIME], [BODY].path,
[CERTIFICATE_EXPIRATION] (and [CONNECTED], [DNS_RCODE], which upmon checks anyway)
are mapped; an endpoint with any other condition is reported as not mappable."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from services.api.importers import (
    MappedChannel,
    MappedMonitor,
    Mapping,
    SourceError,
    clamp_timeout,
    duration_s,
    guarded,
    unmappable,
)

_CONDITION = re.compile(r"^\s*(\[[A-Z_]+\](?:\.[\w.\[\]-]+)?)\s*(==|!=|<=|>=|<|>)\s*(.+?)\s*$")
_CODE = re.compile(r"[1-5][0-9]{2}")
_OPS = {"==", "!=", "<", "<=", ">", ">="}
DEFAULT_INTERVAL_S = 60

# Gatus alerting provider -> (upmon kind, {upmon field: gatus field}).
_PROVIDERS: dict[str, tuple[str, dict[str, str]]] = {
    "slack": ("slack", {"webhook_url": "webhook-url"}),
    "discord": ("discord", {"webhook_url": "webhook-url"}),
    "teams": ("teams", {"webhook_url": "webhook-url"}),
    "pagerduty": ("pagerduty", {"routing_key": "integration-key"}),
    "telegram": ("telegram", {"bot_token": "token", "chat_id": "id"}),
    "pushover": ("pushover", {"token": "application-token", "user": "user-key"}),
    "ntfy": ("ntfy", {"topic": "topic", "server": "url", "token": "token"}),
    "opsgenie": ("opsgenie", {"api_key": "api-key"}),
    "googlechat": ("google_chat", {"webhook_url": "webhook-url"}),
    "mattermost": ("mattermost", {"webhook_url": "webhook-url"}),
    "matrix": (
        "matrix",
        {"homeserver": "server-url", "access_token": "access-token", "room_id": "internal-room-id"},
    ),
    "custom": ("webhook", {"url": "url"}),
}


def mapping(doc: Any) -> Mapping:
    if not isinstance(doc, dict) or not isinstance(doc.get("endpoints"), list):
        raise SourceError("expected a Gatus configuration with a list of `endpoints`")
    channels, skipped = _channels(doc.get("alerting") or {})
    known = {c.ref for c in channels}
    monitors = [
        guarded(f"endpoints[{i}]", lambda i=i, e=e: _endpoint(i, e, known))
        for i, e in enumerate(doc["endpoints"])
    ]
    return Mapping(
        monitors=[m for group in monitors for m in _listed(group)],
        channels=channels,
        skipped=skipped,
    )


def _listed(group: MappedMonitor | list[MappedMonitor]) -> list[MappedMonitor]:
    return group if isinstance(group, list) else [group]


def _channels(alerting: Any) -> tuple[list[MappedChannel], list[str]]:
    found, skipped = [], []
    if not isinstance(alerting, dict):
        return found, ["alerting: is not a mapping"]
    for provider, conf in alerting.items():
        if provider == "email" and isinstance(conf, dict):
            try:
                found.append(_email(conf))
            except (TypeError, ValueError, AttributeError):
                skipped.append("alerting.email: malformed")
            continue
        if provider not in _PROVIDERS or not isinstance(conf, dict):
            skipped.append(f"alerting.{provider}: no matching upmon channel kind")
            continue
        kind, fields = _PROVIDERS[provider]
        config = {ours: conf[theirs] for ours, theirs in fields.items() if conf.get(theirs)}
        found.append(
            MappedChannel(ref=provider, name=f"gatus {provider}", kind=kind, config=config)
        )
    return found, skipped


def _email(conf: dict) -> MappedChannel:
    config = {
        "host": conf.get("host"),
        "port": conf.get("port", 587),
        "from_addr": conf.get("from"),
        "to_addrs": [a.strip() for a in str(conf.get("to") or "").split(",") if a.strip()],
    }
    if conf.get("username"):
        config["username"] = conf["username"]
    if conf.get("password"):
        config["password"] = conf["password"]
    return MappedChannel(ref="email", name="gatus email", kind="email", config=config)


def _endpoint(i: int, e: Any, channels: set[str]) -> list[MappedMonitor]:
    if not isinstance(e, dict) or not e.get("name") or not e.get("url"):
        return [unmappable(f"endpoints[{i}]", "needs a name and a url")]
    name = f"{e['group']}/{e['name']}" if e.get("group") else str(e["name"])
    try:
        interval = duration_s(e.get("interval", DEFAULT_INTERVAL_S))
        conditions = [_condition(c) for c in e.get("conditions") or []]
    except SourceError as exc:
        return [unmappable(name, str(exc))]
    interval = max(1, min(interval, 86_400))
    url = str(e["url"])
    scheme = urlsplit(url).scheme
    base: dict[str, Any] = {"name": name[:200], "interval_s": interval}
    if e.get("enabled") is False:
        base["paused"] = True
    timeout = e.get("client", {}).get("timeout") if isinstance(e.get("client"), dict) else None
    if timeout:
        base["timeout_s"] = clamp_timeout(duration_s(timeout), interval)
    mapped = MappedMonitor(source=name)
    _alerts(e.get("alerts") or [], base, mapped, channels)
    if scheme in ("http", "https"):
        return _http(url, e, base, conditions, mapped)
    if scheme == "tcp":
        return _simple(mapped, base, "tcp", urlsplit(url).netloc, conditions)
    if scheme == "icmp":
        return _simple(mapped, base, "ping", urlsplit(url).netloc, conditions)
    if scheme == "tls":
        return _tls(mapped, base, urlsplit(url).netloc, conditions)
    if isinstance(e.get("dns"), dict):
        return _dns(mapped, base, url, e["dns"], conditions)
    return [unmappable(name, f"url scheme {scheme or url!r} has no upmon monitor kind")]


def _condition(text: Any) -> tuple[str, str, str]:
    found = _CONDITION.match(str(text))
    if not found or found[2] not in _OPS:
        raise SourceError(f"condition {text!r} is not understood")
    return found[1], found[2], found[3]


def _alerts(alerts: list, base: dict, mapped: MappedMonitor, channels: set[str]) -> None:
    for alert in alerts:
        if not isinstance(alert, dict):
            continue
        kind = alert.get("type")
        if kind in channels:
            mapped.channels.append(kind)
        else:
            mapped.notes.append(f"alert {kind!r}: no channel for it was mapped")
        if isinstance(alert.get("failure-threshold"), int):
            base["failure_threshold"] = max(1, min(100, alert["failure-threshold"]))
        if isinstance(alert.get("success-threshold"), int):
            base["success_threshold"] = max(1, min(100, alert["success-threshold"]))


def _status_ranges(op: str, value: str) -> list[str] | None:
    if op == "==" and value.startswith("any(") and value.endswith(")"):
        codes = [c.strip() for c in value[4:-1].split(",")]
        return codes if codes and all(_CODE.fullmatch(c) for c in codes) else None
    try:
        code = int(value)
    except ValueError:
        return None
    ranges = {
        "==": [f"{code}"],
        "<": [f"100-{code - 1}"],
        "<=": [f"100-{code}"],
        ">": [f"{code + 1}-599"],
        ">=": [f"{code}-599"],
        "!=": [f"100-{code - 1}"] * (code > 100) + [f"{code + 1}-599"] * (code < 599),
    }
    return ranges.get(op)


def _scalar(value: str) -> str | int | float | bool:
    text = value.strip().strip('"')
    if text in ("true", "false"):
        return text == "true"
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def _http(url, e, base, conditions, mapped) -> list[MappedMonitor]:
    http: dict[str, Any] = {"method": str(e.get("method", "GET")).upper()}
    if isinstance(e.get("headers"), dict):
        http["headers"] = {str(k): str(v) for k, v in e["headers"].items()}
    if e.get("body"):
        http["body"] = str(e["body"])
    extra: list[MappedMonitor] = []
    assertions = []
    for placeholder, op, value in conditions:
        if placeholder == "[STATUS]":
            ranges = _status_ranges(op, value)
            if ranges is None:
                return [unmappable(mapped.source, f"[STATUS] {op} {value}: not a status code")]
            http["accepted_status"] = ranges
        elif placeholder == "[RESPONSE_TIME]" and op in ("<", "<="):
            http["degraded_after_ms"] = max(1, int(float(value)))
            mapped.notes.append(
                f"[RESPONSE_TIME] {op} {value}: slower answers show as degraded, not down"
            )
        elif placeholder.startswith("[BODY]."):
            path = "$" + placeholder[len("[BODY]") :]
            assertions.append({"path": path, "op": op, "value": _scalar(value)})
        elif placeholder == "[CERTIFICATE_EXPIRATION]" and op in (">", ">="):
            extra.append(_cert_monitor(mapped, base, urlsplit(url), value))
        elif placeholder in ("[CONNECTED]", "[DNS_RCODE]") and value in ("true", "NOERROR"):
            continue
        else:
            return [unmappable(mapped.source, f"condition {placeholder} {op} {value}: no match")]
    if assertions:
        http["json_assertions"] = assertions
    mapped.monitor = {**base, "kind": "http", "target": url, "http": http}
    return [mapped, *extra]


def _cert_monitor(mapped, base, parts, value: str) -> MappedMonitor:
    days = max(1, -(-duration_s(value) // 86_400))
    port = f":{parts.port}" if parts.port else ""
    name = f"{mapped.source} certificate"
    monitor = {
        **base,
        "name": name[:200],
        "kind": "tls",
        "target": f"{parts.hostname}{port}",
        "tls": {"warn_days": days},
    }
    note = f"[CERTIFICATE_EXPIRATION]: a tls monitor, degraded within {days} days of expiry"
    return MappedMonitor(source=name, monitor=monitor, channels=list(mapped.channels), notes=[note])


def _only_connected(mapped, conditions) -> str | None:
    for placeholder, op, value in conditions:
        if placeholder not in ("[CONNECTED]", "[RESPONSE_TIME]"):
            return f"condition {placeholder} {op} {value}: no match for this kind"
        if placeholder == "[RESPONSE_TIME]":
            mapped.notes.append(f"[RESPONSE_TIME] {op} {value}: not checked for this kind")
    return None


def _simple(mapped, base, kind: str, target: str, conditions) -> list[MappedMonitor]:
    if reason := _only_connected(mapped, conditions):
        return [unmappable(mapped.source, reason)]
    mapped.monitor = {**base, "kind": kind, "target": target}
    return [mapped]


def _tls(mapped, base, target: str, conditions) -> list[MappedMonitor]:
    warn_days = 14
    for placeholder, op, value in conditions:
        if placeholder == "[CERTIFICATE_EXPIRATION]" and op in (">", ">="):
            warn_days = max(1, -(-duration_s(value) // 86_400))
        elif placeholder != "[CONNECTED]":
            return [unmappable(mapped.source, f"condition {placeholder} {op} {value}: no match")]
    mapped.monitor = {**base, "kind": "tls", "target": target, "tls": {"warn_days": warn_days}}
    return [mapped]


def _dns(mapped, base, resolver: str, dns: dict, conditions) -> list[MappedMonitor]:
    expected = []
    for placeholder, op, value in conditions:
        if placeholder == "[BODY]" and op == "==":
            expected.append(value.strip('"'))
        elif placeholder not in ("[DNS_RCODE]", "[CONNECTED]"):
            return [unmappable(mapped.source, f"condition {placeholder} {op} {value}: no match")]
    spec: dict[str, Any] = {"record_type": str(dns.get("query-type", "A")).upper()}
    if expected:
        spec["expected"] = expected
    if resolver:
        spec["resolver"] = resolver
    target = str(dns.get("query-name", "")).rstrip(".")
    mapped.monitor = {**base, "kind": "dns", "target": target, "dns": spec}
    return [mapped]
