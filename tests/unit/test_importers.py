"""The importers' mapping functions on fixture files written from each tool's
documented export format. Every mapped monitor must also pass upmon's own validation."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest
import yaml

from services.api.importers import SourceError, duration_s, gatus, healthchecks, uptime_kuma
from shared.monitors import MonitorFields, validate

FIXTURES = Path(__file__).parent.parent / "fixtures" / "importers"


def load(name: str):
    text = (FIXTURES / name).read_text()
    return yaml.safe_load(text) if name.endswith(".yaml") else json.loads(text)


def by_source(mapping) -> dict:
    return {m.source: m for m in mapping.monitors}


def assert_valid(mapping) -> None:
    for m in mapping.monitors:
        if m.monitor is not None:
            fields = msgspec.convert(m.monitor, MonitorFields)
            assert validate(fields) == [], (m.source, validate(fields))


def test_kuma_maps_each_supported_type_and_reports_the_rest():
    found = uptime_kuma.mapping(load("uptime-kuma-backup.json"))
    items = by_source(found)
    assert_valid(found)

    shop = items["shop"].monitor
    assert shop["kind"] == "http" and shop["target"] == "https://shop.example.com/"
    assert shop["failure_threshold"] == 3 and shop["retry_interval_s"] == 30
    assert shop["timeout_s"] == 48 and shop["tags"] == ["shop", "env:prod"]
    assert shop["http"]["accepted_status"] == ["200-299", "301"]
    assert shop["http"]["headers"] == {"X-Probe": "kuma"}
    assert items["shop"].channels == ["1", "2"]
    assert items["shop keyword"].monitor["http"]["keyword"] == "Add to cart"
    assert items["status json"].monitor["http"]["json_assertions"] == [
        {"path": "$.status", "op": "==", "value": "ok"}
    ]
    assert items["status json"].channels == ["3"]
    assert items["status json"].notes == ["notifications 4 were not mapped to channels"]
    assert items["db port"].monitor["target"] == "db.example.com:5432"
    assert items["gateway ping"].monitor["paused"] is True
    assert items["mx record"].monitor["dns"] == {"record_type": "MX", "resolver": "1.1.1.1"}
    push = items["nightly backup"].monitor
    assert push["kind"] == "heartbeat" and push["heartbeat"]["period_s"] == 86400
    assert "steam" in items["game server"].reason
    assert "CAA" in items["caa record"].reason
    assert [(c.ref, c.kind) for c in found.channels] == [
        ("1", "slack"),
        ("2", "webhook"),
        ("3", "matrix"),
    ]
    assert found.channels[2].config == {
        "homeserver": "https://matrix.example.com",
        "access_token": "syt_example",
        "room_id": "!ops:example.com",
    }
    assert found.channels[0].config == {
        "webhook_url": "https://hooks.slack.com/services/T000/B000/XXXX"
    }
    assert found.skipped == [
        "notification 'phone push': type 'gotify' has no matching upmon channel kind"
    ]


def test_kuma_database_monitors_map_from_their_connection_strings():
    found = uptime_kuma.mapping(load("uptime-kuma-backup.json"))
    items = by_source(found)
    assert_valid(found)

    cache = items["session cache"].monitor
    assert cache["kind"] == "redis" and cache["target"] == "cache.example.com:6380"
    assert cache["redis"] == {
        "username": "probe",
        "password": "s3cr@t",
        "database": 2,
        "tls": False,
    }
    assert cache["failure_threshold"] == 2 and items["session cache"].channels == ["1"]
    queue = items["queue"].monitor
    assert queue["target"] == "queue.example.com:6379"
    assert queue["redis"] == {"password": "hunter2", "tls": True}
    orders = items["orders db"]
    assert orders.monitor["kind"] == "postgres"
    assert orders.monitor["target"] == "db.example.com:5433"
    assert orders.monitor["postgres"] == {
        "user": "app",
        "password": "pg/pass",
        "database": "orders",
        "sslmode": "verify-full",
    }
    assert orders.notes == [
        "Kuma verified the certificate and host name with sslmode=require: mapped to verify-full"
    ]
    assert "runs a query of its own" in items["reports db"].reason
    assert "a unix:// URL, not redis:// or rediss://" in items["local cache"].reason
    assert "grpc.health.v1" in items["orders grpc"].reason


def kuma_monitor(kind: str, dsn: str, **fields) -> dict:
    return {"name": "db", "type": kind, "databaseConnectionString": dsn, **fields}


def kuma_item(kind: str, dsn: str, **fields):
    found = uptime_kuma.mapping({"monitorList": [kuma_monitor(kind, dsn, **fields)]})
    assert_valid(found)
    return found.monitors[0]


@pytest.mark.parametrize(
    ("kind", "dsn", "reason"),
    [
        ("redis", "", "is not a redis:// or rediss:// URL"),
        ("redis", "cache.example.com:6379", "is not a redis:// or rediss:// URL"),
        ("redis", "redis-sentinel://:pw@sentinel.example.com", "a redis-sentinel:// URL"),
        ("redis", "redis://:pw@/0", "names no host"),
        ("redis", "redis://probe@cache.example.com", "a user without a password"),
        ("redis", "redis://:pw@cache.example.com/cache", "database (the path) is not a number"),
        ("postgres", "mysql://u:pw@db.example.com/app", "not postgres:// or postgresql://"),
        ("postgres", "/var/run/postgresql app", "not a postgres:// or postgresql:// URL"),
        ("postgres", "postgres://u:pw@/app?host=/var/run/postgresql", "Unix socket"),
        ("postgres", "postgres://u:pw@db.example.com/app?port=five", "port is not a number"),
        ("postgres", "postgres://:pw@db.example.com/app", "names no user"),
        ("postgres", "postgres://u@db.example.com/app", "has no password"),
        ("postgres", "postgres://u:pw@db.example.com/app?sslcert=/c.pem", "client certificate"),
    ],
)
def test_a_connection_string_kuma_could_not_use_as_upmon_does_is_not_mappable(kind, dsn, reason):
    item = kuma_item(kind, dsn)
    assert item.monitor is None and reason in item.reason


@pytest.mark.parametrize("kind", ["redis", "postgres"])
def test_a_reason_never_shows_the_password_of_a_broken_connection_string(kind):
    # An unescaped `/` ends the host part inside the password: the rest reads as a port.
    item = kuma_item(kind, f"{kind}://user:pa/ss:w0rd@db.example.com/0")
    assert item.reason == "its connection string is not a valid URL"


@pytest.mark.parametrize(
    ("query", "sslmode", "notes"),
    [
        ("", "disable", []),
        ("?ssl=true", "verify-full", []),
        ("?ssl=false", "disable", []),
        # Kuma turns every `ssl` string but true into false, no-verify too.
        ("?ssl=no-verify", "disable", []),
        ("?sslmode=disable&ssl=true", "disable", []),
        ("?sslmode=no-verify", "require", []),
        ("?sslmode=verify-full", "verify-full", []),
        ("?sslmode=prefer", "verify-full", ["with sslmode=prefer: mapped to verify-full"]),
        ("?sslmode=sure", "verify-full", ["with an sslmode libpq does not know"]),
        ("?sslrootcert=/ca.pem", "verify-full", ["a CA file of its own"]),
    ],
)
def test_kuma_postgres_tls_maps_to_the_sslmode_that_does_what_kuma_did(query, sslmode, notes):
    item = kuma_item("postgres", f"postgres://u:pw@db.example.com/app{query}")
    assert item.monitor["postgres"]["sslmode"] == sslmode
    assert len(item.notes) == len(notes)
    assert all(part in note for part, note in zip(notes, item.notes, strict=True))


def test_kuma_postgres_reads_the_parts_pg_connection_string_reads():
    query = "?host=db2.example.com&port=6432&user=ops&password=p%26w"
    item = kuma_item("postgres", f"postgresql://u:pw@[2001:db8::5]{query}", databaseQuery=" ")
    assert item.monitor["target"] == "db2.example.com:6432"
    # node-postgres connects to the database named like the user when none is given.
    assert item.monitor["postgres"] == {
        "user": "ops",
        "password": "p&w",
        "database": "ops",
        "sslmode": "disable",
    }


def test_an_ipv6_host_keeps_its_brackets_in_the_target():
    item = kuma_item("redis", "REDIS://:pw@[2001:db8::5]:7000")
    assert item.monitor["target"] == "[2001:db8::5]:7000"


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("grpc-keyword", "upmon's grpc kind asks only the standard health service"),
        ("smtp", "came with 2.0, which has no backup"),
        ("websocket-upgrade", "came with 2.1, which has no backup"),
    ],
)
def test_kuma_types_upmon_has_a_kind_for_but_cannot_import_say_why(kind, reason):
    found = uptime_kuma.mapping({"monitorList": [{"name": "x", "type": kind}]})
    assert reason in found.monitors[0].reason


def test_gatus_maps_conditions_and_alerts():
    found = gatus.mapping(load("gatus.yaml"))
    items = by_source(found)
    assert_valid(found)

    front = items["core/frontend"]
    http = front.monitor["http"]
    assert front.monitor["interval_s"] == 300
    assert http["accepted_status"] == ["200"]
    assert http["json_assertions"] == [{"path": "$.status", "op": "==", "value": "UP"}]
    assert http["degraded_after_ms"] == 300
    assert front.monitor["failure_threshold"] == 3 and front.monitor["success_threshold"] == 2
    assert front.channels == ["slack", "pagerduty"]
    cert = items["core/frontend certificate"].monitor
    assert cert["kind"] == "tls" and cert["target"] == "shop.example.com"
    assert cert["tls"] == {"warn_days": 2}
    api = items["api"].monitor
    assert api["http"]["method"] == "POST" and api["http"]["accepted_status"] == ["100-299"]
    assert api["http"]["json_assertions"][0] == {"path": "$.data.count", "op": ">=", "value": 1}
    assert items["redirects"].monitor["http"]["accepted_status"] == ["301", "302"]
    assert items["postgres"].monitor["target"] == "db.example.com:5432"
    assert items["router"].monitor["kind"] == "ping"
    dns = items["example dns"].monitor
    assert dns["target"] == "example.com"
    assert dns["dns"] == {"record_type": "A", "expected": ["93.184.215.14"], "resolver": "8.8.8.8"}
    assert items["certificate only"].monitor["tls"] == {"warn_days": 10}
    assert "wss" in items["websocket chat"].reason
    assert "pat(*Welcome*)" in items["body pattern"].reason
    assert {c.ref: c.config for c in found.channels} == {
        "slack": {"webhook_url": "https://hooks.slack.com/services/T000/B000/YYYY"},
        "pagerduty": {"routing_key": "abcdef0123456789abcdef0123456789"},
        "googlechat": {
            "webhook_url": "https://chat.googleapis.com/v1/spaces/AAAA/messages?key=k&token=t"
        },
    }
    assert {c.ref: c.kind for c in found.channels}["googlechat"] == "google_chat"
    assert found.skipped == ["alerting.gotify: no matching upmon channel kind"]


def test_healthchecks_maps_simple_and_cron_checks():
    found = healthchecks.mapping(load("healthchecks-checks.json"))
    items = by_source(found)
    assert_valid(found)

    backups = items["Backups"].monitor
    assert backups["heartbeat"] == {"period_s": 86400, "grace_s": 900, "slug": "backups"}
    assert backups["tags"] == ["prod", "www"] and backups["failure_threshold"] == 1
    assert items["Queue worker"].monitor["paused"] is True
    weekly = items["Weekly report"].monitor["heartbeat"]
    assert weekly == {
        "cron": "0 6 * * 1",
        "timezone": "Europe/Berlin",
        "grace_s": 3600,
        "slug": "weekly-report",
    }
    assert any("/push/{ping_key}/backups" in n for n in items["Backups"].notes)
    assert "31536000" in items["Yearly audit"].reason


def test_a_healthchecks_slug_upmon_cannot_keep_is_left_out_with_a_note():
    found = healthchecks.mapping([{"name": "odd", "slug": "Not A Slug", "timeout": 60}])
    item = by_source(found)["odd"]
    assert "slug" not in item.monitor["heartbeat"]
    assert any("slug is not one upmon keeps" in n for n in item.notes)


@pytest.mark.parametrize(
    ("check", "reason"),
    [
        ({"schedule": "0 6 * *", "tz": "UTC"}, "not a valid cron"),
        ({"schedule": "0 6 * * 1", "tz": "Mars/Base"}, "unknown time zone"),
    ],
)
def test_healthchecks_cron_checks_upmon_cannot_keep_are_reported(check, reason):
    found = healthchecks.mapping([{"name": "odd", "kind": "cron", **check}])
    assert reason in by_source(found)["odd"].reason


@pytest.mark.parametrize(
    ("mapper", "doc"),
    [
        (uptime_kuma.mapping, {"monitors": []}),
        (gatus.mapping, ["x"]),
        (healthchecks.mapping, "checks"),
    ],
)
def test_a_document_of_another_shape_is_refused(mapper, doc):
    with pytest.raises(SourceError):
        mapper(doc)


def test_go_durations():
    assert duration_s("1h30m") == 5400 and duration_s("48h") == 172800 and duration_s(45) == 45
    for bad in ("5", "5x", "h"):
        with pytest.raises(SourceError):
            duration_s(bad)


def test_items_with_odd_types_are_not_mappable_instead_of_failing_the_file():
    kuma = uptime_kuma.mapping(
        {
            "monitorList": [{"name": "x", "type": "http", "interval": "often"}, 7],
            "notificationList": [{"config": {"type": "slack"}, "name": ["odd"]}],
        }
    )
    found = gatus.mapping({"endpoints": [{"name": "a", "url": "https://a.example/", "alerts": 5}]})
    checks = healthchecks.mapping({"checks": [{"name": "n", "timeout": 60, "grace": 1, "tags": 3}]})

    assert [m.monitor for m in kuma.monitors] == [None, None]
    assert "malformed" in kuma.monitors[0].reason
    assert found.monitors[0].monitor is None and "malformed" in found.monitors[0].reason
    assert checks.monitors[0].monitor["tags"] == ["3"]
