"""Uptime Kuma: the JSON backup (Settings > Backup > Export), `monitorList` and
`notificationList`. http, keyword, json-query, port, ping, dns, push, redis and postgres
monitors are mapped with their interval, retries and accepted status codes; notifications
become channels where upmon has the same kind.

Only Kuma 1.x writes that backup (2.0 dropped it), so a database monitor's connection
string is read as Kuma 1.23's clients read it: node-redis 4 and node-postgres 8 with
pg-connection-string 2."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

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
_KINDS = {"http", "keyword", "json-query", "port", "ping", "dns", "push", "redis", "postgres"}
# Kuma types upmon has a kind of the same name for, but which it cannot import.
_UNLIKE = {
    "grpc-keyword": "calls a method of its own protobuf and looks for a keyword in the reply;"
    " upmon's grpc kind asks only the standard health service (grpc.health.v1 Check)",
    "smtp": "Kuma's smtp monitors came with 2.0, which has no backup to carry them:"
    " create it as an upmon smtp monitor",
    "websocket-upgrade": "Kuma's websocket monitors came with 2.1, which has no backup to"
    " carry them: create it as an upmon websocket monitor",
}
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]{0,19})://")
_DEFAULT_QUERY = "select 1"
# sslmode values for which pg-connection-string 2 asks for a verified certificate.
_VERIFYING = ("allow", "prefer", "require", "verify-ca")


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
    if kind in _UNLIKE:
        return unmappable(name, _UNLIKE[kind])
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


def _connection(m: dict, schemes: tuple[str, ...]) -> tuple[SplitResult, int | None] | str:
    """The parts of the monitor's connection string and its port, or why it is not a URL
    of one of `schemes`. No reason quotes the string: it holds the password."""
    text = m.get("databaseConnectionString")
    text = text.strip() if isinstance(text, str) else ""
    wanted = " or ".join(f"{s}://" for s in schemes)
    scheme = _SCHEME.match(text)
    if not scheme:
        return f"its connection string is not a {wanted} URL"
    if scheme[1].lower() not in schemes:
        return f"its connection string is a {scheme[1]}:// URL, not {wanted}"
    try:
        url = urlsplit(text)
        return url, url.port
    except ValueError:
        return "its connection string is not a valid URL"


def _host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _redis(m: dict, base: dict, mapped: MappedMonitor) -> dict | str:
    found = _connection(m, ("redis", "rediss"))
    if isinstance(found, str):
        return found
    url, port = found
    if not url.hostname:
        return "its connection string names no host"
    user, password = unquote(url.username or ""), unquote(url.password or "")
    if user and not password:
        return "its connection string names a user without a password"
    spec: dict[str, Any] = {"tls": url.scheme == "rediss"}
    if password:
        spec["password"] = password
    if user:
        spec["username"] = user
    database = url.path[1:]
    if database:
        if not (database.isascii() and database.isdigit()):
            return "its connection string's database (the path) is not a number"
        spec["database"] = int(database)
    target = _host_port(url.hostname, 6379 if port is None else port)
    return {**base, "kind": "redis", "target": target, "redis": spec}


def _postgres(m: dict, base: dict, mapped: MappedMonitor) -> dict | str:
    query = str(m.get("databaseQuery") or "").strip().rstrip(";") or _DEFAULT_QUERY
    if " ".join(query.split()).lower() != _DEFAULT_QUERY:
        return "runs a query of its own; upmon's postgres check runs SELECT 1"
    found = _connection(m, ("postgres", "postgresql"))
    if isinstance(found, str):
        return found
    url, url_port = found
    # As pg-connection-string reads it: a query parameter (the last, when not empty)
    # wins over the URL's own part.
    params = {k: v for k, v in dict(parse_qsl(url.query)).items() if v}
    host = params.get("host") or url.hostname or ""
    if host.startswith("/"):
        return "connects over a Unix socket, which upmon's executors cannot reach"
    if not host:
        return "its connection string names no host"
    port = params.get("port") or str(5432 if url_port is None else url_port)
    user = params.get("user") or unquote(url.username or "")
    password = params.get("password") or unquote(url.password or "")
    if not (port.isascii() and port.isdigit()):
        return "its connection string's port is not a number"
    if not user:
        return "its connection string names no user"
    if not password:
        return "its connection string has no password (Kuma refuses to connect without one)"
    if "sslcert" in params or "sslkey" in params:
        return "signs in with a client certificate (sslcert, sslkey), which upmon does not send"
    spec = {
        "user": user,
        "password": password,
        # node-postgres's default database is the user's name, not `postgres`.
        "database": unquote(url.path[1:]) or user,
        "sslmode": _sslmode(params, mapped),
    }
    return {**base, "kind": "postgres", "target": _host_port(host, int(port)), "postgres": spec}


def _sslmode(params: dict[str, str], mapped: MappedMonitor) -> str:
    """The libpq sslmode that does what Kuma's client did: TLS only when the string asks
    for it, then never falling back to plaintext, and verified unless `no-verify`."""
    mode = params.get("sslmode")
    if mode == "disable":
        return "disable"
    if mode == "no-verify":
        return "require"
    if "sslrootcert" in params:
        mapped.notes.append(
            "Kuma verified the server with a CA file of its own (sslrootcert);"
            " upmon verifies it with the executors' CAs"
        )
    if mode is not None and mode != "verify-full":
        shown = f"sslmode={mode}" if mode in _VERIFYING else "an sslmode libpq does not know"
        mapped.notes.append(
            f"Kuma verified the certificate and host name with {shown}: mapped to verify-full"
        )
    if mode is not None or "sslrootcert" in params:
        return "verify-full"
    # Kuma turns an `ssl` left a string by the parser into false.
    return "verify-full" if params.get("ssl") in ("true", "1") else "disable"


_BUILDERS = {
    "http": _http,
    "keyword": _http,
    "json-query": _http,
    "port": _port,
    "ping": _ping,
    "dns": _dns,
    "push": _push,
    "redis": _redis,
    "postgres": _postgres,
}
