"""The postgres kind's declaration, options and rules: no network."""

from __future__ import annotations

import ssl
from types import SimpleNamespace

import msgspec
import pytest

from shared import config
from shared.kinds import postgres as kind
from shared.kinds.postgres import PostgresOptions, rules
from shared.sealing import MASK, Keyring, generate_key

FIELDS = SimpleNamespace(target="db.example.com")


def test_defaults_log_in_as_postgres_to_postgres_preferring_tls():
    spec = msgspec.convert({}, PostgresOptions)
    assert (spec.user, spec.password, spec.database, spec.sslmode) == (
        "postgres",
        None,
        "postgres",
        "prefer",
    )
    assert kind.KIND.default_port == 5432


def test_the_password_is_a_secret_and_every_option_is_in_the_form():
    assert kind.KIND.secrets == ("password",)
    assert {f.name for f in kind.KIND.form} == set(PostgresOptions.__struct_fields__)
    assert next(f for f in kind.KIND.form if f.name == "password").input == "password"


@pytest.mark.parametrize(
    "body",
    [
        {"sslmode": "allow"},
        {"user": ""},
        {"user": "a\nb"},
        {"database": "x" * 64},
        {"password": "p" * 1025},
        {"port": 5432},
    ],
)
def test_options_outside_their_bounds_are_refused(body):
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert(body, PostgresOptions)


def test_names_over_63_bytes_are_refused_naming_the_field():
    # 32 two-byte characters: within 63 characters, over Postgres' 63 bytes.
    spec = PostgresOptions(user="é" * 32, database="ü" * 40)
    assert [(e.field, e.message) for e in rules(FIELDS, spec)] == [
        ("postgres.user", "must be at most 63 bytes in UTF-8"),
        ("postgres.database", "must be at most 63 bytes in UTF-8"),
    ]


def test_names_within_63_bytes_and_an_absent_block_pass():
    assert rules(FIELDS, PostgresOptions(user="a" * 63, database="ü" * 31)) == []
    assert rules(FIELDS, None) == []


@pytest.mark.parametrize(
    "target", ["db.example.com", "db.example.com:6432", "[::1]:5432", "10.0.0.5"]
)
def test_a_host_with_or_without_a_port_is_a_target(target):
    assert rules(SimpleNamespace(target=target), PostgresOptions()) == []


@pytest.mark.parametrize("target", ["", "db.example.com:0", "db.example.com:99999", "a b:5432"])
def test_other_targets_are_refused_naming_target(target):
    assert [e.field for e in rules(SimpleNamespace(target=target), PostgresOptions())] == ["target"]


def test_a_password_over_512_bytes_is_refused_unless_it_is_the_sealed_or_masked_form():
    assert [e.field for e in rules(FIELDS, PostgresOptions(password="ü" * 257))] == [
        "postgres.password"
    ]
    assert rules(FIELDS, PostgresOptions(password="p" * 512)) == []
    sealed = Keyring.from_settings(config.load({}, secret_key=generate_key())).seal("p" * 512)
    assert len(sealed) <= 1024
    assert rules(FIELDS, PostgresOptions(password=sealed)) == []
    assert rules(FIELDS, PostgresOptions(password=MASK)) == []


def test_text_postgres_cannot_take_is_refused_naming_the_field():
    spec = PostgresOptions(user="a\ud800", password="\udfff")
    assert [(e.field, e.message) for e in rules(FIELDS, spec)] == [
        ("postgres.user", "must be valid Unicode text"),
        ("postgres.password", "must be valid Unicode text"),
    ]


def test_one_verifying_context_serves_every_host():
    full = kind._verifying(None, check_name=True)
    assert full.check_hostname and full.verify_mode == ssl.CERT_REQUIRED
    assert kind._tls(kind.ProbeContext(), "verify-full") is full
    chain_only = kind._verifying(None, check_name=False)
    assert not chain_only.check_hostname and chain_only.verify_mode == ssl.CERT_REQUIRED
    assert kind._tls(kind.ProbeContext(), "disable") is False
