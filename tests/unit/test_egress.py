"""The egress policy's decisions: pure, so every case runs without a network."""

from __future__ import annotations

import ipaddress

import pytest

from shared import egress
from shared.config import ConfigError, load

BASE = egress.Policy()


@pytest.mark.parametrize(
    "host",
    [
        "169.254.169.254",
        "[::ffff:169.254.169.254]",
        "::ffff:a9fe:a9fe",
        "0xA9FEA9FE",
        "2852039166",
        "0251.0376.0251.0376",
        "169.254.43518",
        "0xa9.0xfe.0xa9.0xfe",
        "metadata.google.internal",
        "METADATA.google.internal.",
        "metadata",
        "instance-data",
        "fd00:ec2::254",
        "100.100.100.200",
        "0.0.0.0",
        "0",
        "::",
        "[fe80::1]",
        "fe80::1%eth0",
        "2002:a9fe:a9fe::1",
        "64:ff9b::a9fe:a9fe",
        "::a9fe:a9fe",
        "224.0.0.1",
        "ff02::1",
        "255.255.255.255",
    ],
)
def test_the_named_default_denies_metadata_link_local_and_unspecified_forms(host):
    verdict = egress.check_host(BASE, host, 80)
    assert not verdict.allowed
    assert verdict.reason


@pytest.mark.parametrize("host", ["127.0.0.1", "10.1.2.3", "192.168.1.1", "example.com", "::1"])
def test_loopback_private_and_names_are_allowed_by_default(host):
    assert egress.check_host(BASE, host, 443).allowed


def test_the_allow_list_cannot_open_the_named_default():
    policy = egress.Policy(allow=egress.parse_rules("0.0.0.0/0,::/0", "ALLOW"))
    assert not egress.check_host(policy, "169.254.169.254", 80).allowed
    assert egress.check_host(policy, "8.8.8.8", 53).allowed


@pytest.mark.parametrize(
    "host", ["10.0.0.1", "172.16.5.5", "192.168.0.1", "100.64.0.1", "127.0.0.1", "::1", "fd00::1"]
)
def test_the_private_switch_denies_private_ranges(host):
    verdict = egress.check_host(egress.Policy(private=True), host, 80)
    assert not verdict.allowed
    assert "UPMON_EGRESS_PRIVATE" in verdict.reason


def test_the_private_switch_also_judges_mapped_forms():
    policy = egress.Policy(private=True)
    assert not egress.check_host(policy, "::ffff:10.0.0.1", 80).allowed
    assert not egress.check_host(policy, "localhost", 80).allowed


def test_an_allow_entry_wins_over_the_private_switch_and_the_deny_list():
    policy = egress.Policy(
        private=True,
        allow=egress.parse_rules("10.1.2.3:443", "ALLOW"),
        deny=egress.parse_rules("10.0.0.0/8", "DENY"),
    )
    assert egress.check_host(policy, "10.1.2.3", 443).allowed
    assert not egress.check_host(policy, "10.1.2.3", 80).allowed
    assert not egress.check_host(policy, "10.9.9.9", 443).allowed


def test_deny_entries_with_a_port_deny_only_that_port():
    policy = egress.Policy(deny=egress.parse_rules("127.0.0.1:4222, [::1]:8080", "DENY"))
    assert not egress.check_host(policy, "127.0.0.1", 4222).allowed
    assert egress.check_host(policy, "127.0.0.1", 4223).allowed
    assert not egress.check_host(policy, "[::1]", 8080).allowed
    assert "UPMON_EGRESS_DENY" in egress.check_host(policy, "127.0.0.1", 4222).reason


@pytest.mark.parametrize("entry", ["10.0.0.0/33", "1.2.3.4:99999", "bad host!", "a:b"])
def test_bad_rule_entries_are_refused(entry):
    with pytest.raises(ValueError):
        egress.parse_rules(entry, "UPMON_EGRESS_DENY")


def test_bad_settings_raise_a_config_error_naming_the_variable():
    with pytest.raises(ConfigError, match="UPMON_EGRESS_ALLOW"):
        egress.from_settings(load({"UPMON_EGRESS_ALLOW": "10.0.0.0/99"}))


def test_own_parts_from_settings_are_denied_on_every_loopback_address():
    settings = load(
        {
            "UPMON_NATS_URL": "nats://127.0.0.1:14222,nats://nats-2:4223",
            "UPMON_PG_DSN": "postgresql://u:p@0.0.0.0:15432,db2.internal:6543/upmon",
            "UPMON_CLICKHOUSE_URL": "http://localhost:18123",
            "UPMON_API_HOST": "0.0.0.0",
            "UPMON_API_PORT": "18080",
            "UPMON_METRICS_PORT": "19100",
            "UPMON_EGRESS_OWN": "127.0.0.1:19101,10.0.0.5:9000",
        }
    )
    policy = egress.from_settings(settings)
    for port in (14222, 15432, 18123, 18080, 19100, 19101):
        for host in ("127.0.0.1", "127.0.0.2", "::1", "[::ffff:127.0.0.1]"):
            verdict = egress.check_host(policy, host, port)
            assert not verdict.allowed, (host, port)
            assert "own parts" in verdict.reason
    assert not egress.check_host(policy, "nats-2", 4223).allowed
    assert not egress.check_host(policy, "db2.internal", 6543).allowed
    assert not egress.check_host(policy, "10.0.0.5", 9000).allowed
    assert egress.check_host(policy, "127.0.0.1", 14223).allowed
    assert egress.check_host(policy, "nats-2", 80).allowed


def test_a_resolved_address_is_judged_with_its_port():
    policy = egress.Policy(own=egress.own_rules([("127.0.0.1", 8123)]))
    assert not egress.check_address(policy, ipaddress.ip_address("127.0.0.1"), 8123).allowed
    assert egress.check_address(policy, ipaddress.ip_address("127.0.0.1"), 8124).allowed


def test_a_portless_probe_is_judged_only_by_rules_without_a_port():
    policy = egress.Policy(
        own=egress.own_rules([("127.0.0.1", 4222)]),
        deny=egress.parse_rules("10.0.0.0/8, 192.168.1.1:22", "DENY"),
    )
    assert egress.check_host(policy, "127.0.0.1", None).allowed  # ping cannot drive NATS
    assert egress.check_host(policy, "192.168.1.1", None).allowed
    assert not egress.check_host(policy, "10.1.2.3", None).allowed
    assert not egress.check_host(policy, "169.254.169.254", None).allowed


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://169.254.169.254/latest/meta-data/", False),
        ("http://[::ffff:169.254.169.254]/", False),
        ("http://0xA9FEA9FE/", False),
        ("http://2852039166/", False),
        ("http://metadata.google.internal/computeMetadata/v1/", False),
        ("http://0.0.0.0:8123/", False),
        ("https://example.com/hook", True),
        ("http://127.0.0.1:9999/", True),
    ],
)
def test_urls_are_judged_by_their_host_and_port(url, allowed):
    assert egress.check_url(BASE, url).allowed is allowed


def test_literal_addresses_normalise_numeric_forms():
    assert str(egress.literal_address("0xA9FEA9FE")) == "169.254.169.254"
    assert str(egress.literal_address("2852039166")) == "169.254.169.254"
    assert str(egress.literal_address("0251.0376.0251.0376")) == "169.254.169.254"
    assert str(egress.literal_address("127.1")) == "127.0.0.1"
    assert egress.literal_address("example.com") is None
    assert egress.literal_address("1.2.3.4.5") is None
    assert egress.literal_address("256.1.1.1") is None


def test_excerpts_are_short_and_have_no_control_characters():
    text = egress.excerpt(b'INFO {"server_id":"x"}\r\n' + b"A" * 1000)
    assert len(text) <= egress.EXCERPT_CHARS + 3
    assert "\r" not in text and "\n" not in text
    assert egress.excerpt("a\u202eb\x00c") == "a b c"
