"""The service that owns a table is the only one that writes it, and the others read
the api's definitions through its read model (the monitor_definitions and
channel_definitions views), never its tables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WRITE = re.compile(r"\b(?:INSERT INTO|UPDATE|DELETE FROM)\s+([a-z_]+)", re.IGNORECASE)
READ = re.compile(r"\b(?:FROM|JOIN)\s+([a-z_]+)", re.IGNORECASE)
API_TABLES = {
    "monitors",
    "channels",
    "users",
    "sessions",
    "api_keys",
    "ping_keys",
    "maintenance_windows",
    "status_pages",
    "rate_buckets",
    "login_attempts",
}
NOTIFIER_TABLES = {"incidents", "monitor_state", "delivery_attempts", "anomalies"}
OTHERS = ("notifier", "scheduler", "recorder", "executor")


def _code(service: str) -> str:
    return "\n".join(p.read_text() for p in (ROOT / "services" / service).rglob("*.py"))


def test_the_api_writes_none_of_the_notifiers_tables():
    written = set(WRITE.findall(_code("api")))
    assert not written & NOTIFIER_TABLES, written & NOTIFIER_TABLES


@pytest.mark.parametrize("service", OTHERS)
def test_other_services_write_none_of_the_api_tables(service):
    written = set(WRITE.findall(_code(service)))
    assert not written & API_TABLES, written & API_TABLES


@pytest.mark.parametrize("service", OTHERS)
def test_other_services_read_the_api_definitions_through_its_read_model(service):
    read = set(READ.findall(_code(service)))
    assert not read & API_TABLES, read & API_TABLES


def test_the_read_model_is_a_migration():
    sql = (ROOT / "shared" / "migrations" / "postgres" / "0070_read_models.sql").read_text()
    assert "CREATE VIEW monitor_definitions" in sql and "CREATE VIEW channel_definitions" in sql
