"""Uptime Kuma: the JSON backup (Settings > Backup > Export), `monitorList` and
`notificationList`. http, keyword, json-query, port, ping, dns and push monitors are
mapped with their interval, retries and accepted status codes; notifications become
channels where upmon has the same kind."""

from __future__ import annotations

import json
from typing import Any

from services.api.importers import (
    MappedChannel,
    MappedMonitor,
    Mapping,
    SourceError,
    clamp_timeout,
    guarded,
    unmappable,
)
from shared.kinds.dns import RecordType

# Kuma notification type -> (upmon kind, {upmon field: Kuma field}).
_NOTIFICATIONS: dict[str, tuple[str, dict[str, str]]] = {
    "webhook": ("webhook", {"url": "webhookURL"}),
    "slack": ("slack", {"webhook_url": "slackwebhookURL"}),
    "discord": ("discord", {"webhook_url": "discordWebhookUrl"}),
    "teams": ("teams", {"webhook_url": "webhookUrl"}),
    "telegram": ("telegram", {"bot_token": "telegramBotToken", "chat_id": "telegramChatID"}),
    "pushover": ("pushover", {"token": "pushoverapptoken", "user": "pushoveruserkey"}),
    "ntfy": ("ntfy", {"topic": "ntfytopic", "server": "ntfyserverurl"}),
    "PagerDuty": ("pagerduty", {"routing_key": "pagerdutyIntegrationKey"}),
    "Opsgenie": ("opsgenie", {"api_key": "opsgenieApiKey"}),
    "GoogleChat": ("google_chat", {"webhook_url": "googleChatWebhookURL"}),
    # Kuma's channel may be a display name ("#Ops"); the hook's own channel is kept.
    "mattermost": ("mattermost", {"webhook_url": "mattermostWebhookUrl"}),
    "matrix": (
        "matrix",
        {"homeserver": "homeserverUrl", "access_token": "accessToken", "room_id": "internalRoomId"},
    ),
}
RECORD_TYPES = RecordType.__args__
_KINDS = {"http", "keyword", "json-query", "port", "ping", "dns", "push"}


def mapping(doc: Any) -> Mapping:
    if not isinstance(doc, dict) or not isinstance(doc.get("monitorList"), list):
        raise SourceError("expected an Uptime Kuma backup with a `monitorList`")
    channels, skipped = [], []
    notifications = doc.get("notificationList") or []
    for n in notifications if isinstance(notifications, list) else []:
        try:
            channel = _notification(n)
        except (TypeError, ValueError, AttributeError) as exc:
            channel = f"a notification is malformed: {type(exc).__name__}"
        if isinstance(channel, MappedChannel):
            channels.append(channel)
        else:
            skipped.append(channel)
    known = {c.ref for c in channels}
    monitors = [
        guarded(f"monitorList[{i}]", lambda i=i, m=m: _monitor(i, m, known))
        for i, m in enumerate(doc["monitorList"])
    ]
    return Mapping(monitors=monitors, channels=channels, skipped=skipped)


def _notification(n: Any) -> MappedChannel | str:
    if not isinstance(n, dict):
        return "notificationList: an item is not an object"
    name = str(n.get("name") or f"notification {n.get('id')}")
    conf = n.get("config")
    try:
        conf = json.loads(conf) if isinstance(conf, str) else (conf or {})
    except ValueError:
        return f"notification {name!r}: its config is not JSON"
    kind = conf.get("type") or n.get("type")
    if kind == "smtp":
        return _smtp(n, name, conf)
    if kind not in _NOTIFICATIONS:
        return f"notification {name!r}: type {kind!r} has no matching upmon channel kind"
    ours, fields = _NOTIFICATIONS[kind]
    config = {o: conf[t] for o, t in fields.items() if conf.get(t) not in (None, "")}
    return MappedChannel(ref=str(n.get("id")), name=name[:200], kind=ours, config=config)


def _smtp(n: dict, name: str, conf: dict) -> MappedChannel:
    config: dict[str, Any] = {
        "host": conf.get("smtpHost"),
        "port": int(conf.get("smtpPort") or 587),
        "from_addr": conf.get("smtpFrom"),
        "to_addrs": [a.strip() for a in str(conf.get("smtpTo") or "").split(",") if a.strip()],
        "security": "tls" if conf.get("smtpSecure") else "starttls",
    }
    if conf.get("smtpUsername"):
        config["username"] = conf["smtpUsername"]
    if conf.get("smtpPassword"):
        config["password"] = conf["smtpPassword"]
    return MappedChannel(ref=str(n.get("id")), name=name[:200], kind="email", config=config)


def _monitor(i: int, m: Any, channels: set[str]) -> MappedMonitor:
    if not isinstance(m, dict):
        return unmappable(f"monitorList[{i}]", "is not a monitor object")
    name = str(m.get("name") or f"monitor {m.get('id', i)}")
    kind = m.get("type")
    if kind not in _KINDS:
        return unmappable(name, f"type {kind!r} has no upmon monitor kind")
    if m.get("upsideDown"):
        return unmappable(name, "upside-down mode (up means down) has no upmon equivalent")
    interval = max(20, min(int(m.get("interval") or 60), 86_400))
    base: dict[str, Any] = {
        "name": name[:200],
        "interval_s": interval,
        "failure_threshold": max(1, min(100, int(m.get("maxretries") or 0) + 1)),
        "tags": _tags(m.get("tags")),
        "paused": m.get("active") in (False, 0),
    }
    retry = int(m.get("retryInterval") or 0)
    if retry and base["failure_threshold"] > 1:
        base["retry_interval_s"] = min(retry, interval)
    if (timeout := clamp_timeout(m.get("timeout"), interval)) is not None:
        base["timeout_s"] = timeout
    mapped = MappedMonitor(source=name)
    ids = m.get("notificationIDList") or {}
    wanted = [str(k) for k, on in ids.items() if on] if isinstance(ids, dict) else []
    mapped.channels = [c for c in wanted if c in channels]
    if missing := [c for c in wanted if c not in channels]:
        mapped.notes.append(f"notifications {', '.join(missing)} were not mapped to channels")
    body = _BUILDERS[kind](m, base, mapped)
    if isinstance(body, str):
        return unmappable(name, body)
    mapped.monitor = body
    return mapped


def _tags(tags: Any) -> list[str]:
    found = []
    for t in tags or []:
        if isinstance(t, dict) and t.get("name"):
            value = f":{t['value']}" if t.get("value") else ""
            found.append(f"{t['name']}{value}"[:64])
    return list(dict.fromkeys(found))[:32]


def _http(m: dict, base: dict, mapped: MappedMonitor) -> dict | str:
    http: dict[str, Any] = {"method": str(m.get("method") or "GET").upper()}
    codes = m.get("accepted_statuscodes") or ["200-299"]
    http["accepted_status"] = [str(c) for c in codes]
    if m.get("headers"):
        try:
            headers = json.loads(m["headers"]) if isinstance(m["headers"], str) else m["headers"]
        except ValueError:
            return "its headers are not JSON"
        http["headers"] = {str(k): str(v) for k, v in dict(headers).items()}
    if m.get("body"):
        http["body"] = str(m["body"])
    if m.get("maxredirects") is not None:
        redirects = int(m["maxredirects"])
        http["follow_redirects"] = redirects > 0
        http["max_redirects"] = max(0, min(redirects, 30))
    if m.get("ignoreTls"):
        http["verify_tls"] = False
    if m.get("authMethod") == "basic" and m.get("basic_auth_user"):
        http["auth"] = {
            "type": "basic",
            "username": m["basic_auth_user"],
            "password": m.get("basic_auth_pass") or "",
        }
    if m.get("type") == "keyword":
        if not m.get("keyword"):
            return "keyword monitor without a keyword"
        http["keyword"] = str(m["keyword"])
        http["keyword_absent"] = bool(m.get("invertKeyword"))
    if m.get("type") == "json-query":
        path = str(m.get("jsonPath") or "").strip()
        if not path.replace(".", "").replace("_", "").replace("[", "").replace("]", "").isalnum():
            return f"json query {path!r} is a JSONata expression, not a plain path"
        op = m.get("jsonPathOperator") or "=="
        if op not in ("==", "!=", "<", "<=", ">", ">=", "contains"):
            return f"json query operator {op!r} has no upmon equivalent"
        http["json_assertions"] = [
            {"path": f"$.{path.lstrip('$.')}", "op": op, "value": m.get("expectedValue")}
        ]
    return {**base, "kind": "http", "target": str(m.get("url") or ""), "http": http}


def _port(m: dict, base: dict, mapped: MappedMonitor) -> dict | str:
    return {**base, "kind": "tcp", "target": f"{m.get('hostname')}:{m.get('port')}"}


def _ping(m: dict, base: dict, mapped: MappedMonitor) -> dict | str:
    return {**base, "kind": "ping", "target": str(m.get("hostname") or "")}


def _dns(m: dict, base: dict, mapped: MappedMonitor) -> dict | str:
    record = str(m.get("dns_resolve_type") or "A")
    if record not in RECORD_TYPES:
        return f"DNS record type {record} is not checked by upmon ({', '.join(RECORD_TYPES)})"
    spec: dict[str, Any] = {"record_type": record}
    server = m.get("dns_resolve_server")
    if server:
        port = m.get("port")
        spec["resolver"] = f"{server}:{port}" if port and int(port) != 53 else str(server)
    return {**base, "kind": "dns", "target": str(m.get("hostname") or ""), "dns": spec}


def _push(m: dict, base: dict, mapped: MappedMonitor) -> dict | str:
    mapped.notes.append("jobs must call the new push_url instead of Kuma's push URL")
    body = {
        **base,
        "kind": "heartbeat",
        "heartbeat": {"period_s": base["interval_s"], "grace_s": 0},
    }
    body.pop("timeout_s", None)
    return body


_BUILDERS = {
    "http": _http,
    "keyword": _http,
    "json-query": _http,
    "port": _port,
    "ping": _ping,
    "dns": _dns,
    "push": _push,
}
