from datetime import UTC, datetime

import msgspec
import pytest

from services.api import monitor_secrets
from services.api.problems import ApiError
from services.api.schemas import MonitorView
from services.executor.main import opened
from shared import config, secret_fields
from shared.kinds.http import BasicAuth, BearerAuth, HttpSpec
from shared.monitors import Monitor, MonitorFields
from shared.probes.outcome import Outcome
from shared.sealing import MASK, Keyring, SealError, generate_key, is_sealed

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def ring(current: str, *old: str) -> Keyring:
    s = config.load({}, secret_key=current, secret_key_old=",".join(old))
    return Keyring.from_settings(s)


def fields(**http) -> MonitorFields:
    spec = HttpSpec(
        auth=BasicAuth(username="me", password="hunter22"),
        headers={"X-Api-Key": "k-123", "Cookie": "sid=42", "Accept": "text/html"},
        **http,
    )
    return MonitorFields(name="m", kind="http", target="https://example.com/", http=spec)


def test_sealed_values_open_with_the_same_key_and_name_it():
    keys = ring(generate_key())
    sealed = keys.seal("hunter22")
    assert is_sealed(sealed) and "hunter22" not in sealed
    assert keys.current_id in sealed
    assert keys.open(sealed) == "hunter22"
    assert keys.seal("hunter22") != sealed  # a fresh nonce every time


def test_old_keys_still_open_and_reseal_moves_to_the_current_key():
    old, new = generate_key(), generate_key()
    sealed_old = ring(old).seal("pw")
    keys = ring(new, old)
    assert keys.open(sealed_old) == "pw"
    moved = keys.reseal(sealed_old)
    assert keys.current_id in moved and ring(new).open(moved) == "pw"
    assert keys.reseal(moved) == moved


def test_unknown_key_and_tampering_are_refused():
    sealed = ring(generate_key()).seal("pw")
    with pytest.raises(SealError, match="neither UPMON_SECRET_KEY"):
        ring(generate_key()).open(sealed)
    keys = ring(generate_key())
    good = keys.seal("pw")
    flipped = good[:-2] + ("A" if good[-2] != "A" else "B") + good[-1]
    with pytest.raises(SealError):
        keys.open(flipped)


def test_plaintext_from_before_encryption_passes_through():
    assert ring(generate_key()).open("legacy-password") == "legacy-password"


@pytest.mark.parametrize("bad", ["", "short", "x" * 43 + "!"])
def test_a_missing_or_malformed_key_is_a_config_error_naming_the_variable(bad):
    with pytest.raises(config.ConfigError, match="UPMON_SECRET_KEY"):
        ring(bad)


def test_secret_places_are_auth_secret_headers_and_the_push_token():
    found = secret_fields.monitor_secrets(fields())
    assert found == {
        "http.auth.password": "hunter22",
        "http.headers.X-Api-Key": "k-123",
        "http.headers.Cookie": "sid=42",
    }
    bearer = MonitorFields(
        name="b", kind="http", target="https://e.com/", http=HttpSpec(auth=BearerAuth(token="t"))
    )
    assert secret_fields.monitor_secrets(bearer) == {"http.auth.token": "t"}
    for name in ("Authorization", "Proxy-Authorization", "X-Auth-Token", "X-Session", "Api-Key"):
        assert secret_fields.secret_header(name), name
    assert not secret_fields.secret_header("Accept")


def test_seal_input_seals_every_secret_and_a_mask_keeps_the_stored_one():
    keys = ring(generate_key())
    stored = monitor_secrets.seal_input(fields(), None, keys)
    assert all(is_sealed(v) for v in secret_fields.monitor_secrets(stored).values())
    assert stored.http.headers["Accept"] == "text/html"

    resent = msgspec.structs.replace(
        fields(),
        http=msgspec.structs.replace(
            fields().http, auth=BasicAuth(username="me", password=MASK), headers={"Cookie": "new"}
        ),
    )
    resolved = monitor_secrets.resolve(resent, stored, keys)
    plain, sealed = resolved.plain, resolved.sealed
    assert sealed.http.auth.password == stored.http.auth.password
    assert plain.http.auth.password == "hunter22"
    assert keys.open(sealed.http.headers["Cookie"]) == "new"


def test_a_mask_with_nothing_stored_behind_it_is_a_422_naming_the_field():
    masked = msgspec.structs.replace(
        fields(), http=HttpSpec(auth=BasicAuth(username="me", password=MASK))
    )
    with pytest.raises(ApiError) as caught:
        monitor_secrets.seal_input(masked, None, ring(generate_key()))
    assert caught.value.problem.status == 422
    assert [e.field for e in caught.value.problem.errors] == ["http.auth.password"]


def test_input_that_looks_sealed_is_sealed_again_never_trusted():
    keys = ring(generate_key())
    foreign = keys.seal("someone else's password")
    sent = msgspec.structs.replace(
        fields(), http=HttpSpec(auth=BasicAuth(username="me", password=foreign))
    )
    sealed = monitor_secrets.seal_input(sent, None, keys)
    assert keys.open(sealed.http.auth.password) == foreign


def view(keys: Keyring, **extra) -> MonitorView:
    sealed = monitor_secrets.seal_input(fields(), None, keys)
    values = msgspec.structs.asdict(sealed) | {"timeout_s": 10.0} | extra
    return MonitorView(**values, id="m1", created_at=NOW, updated_at=NOW)


@pytest.mark.parametrize("scope", ["read", "write", "admin"])
def test_credentials_are_masked_for_every_scope(scope):
    keys = ring(generate_key())
    shown = monitor_secrets.present(view(keys), scope, keys, "http://u.example")
    assert shown.http.auth.password == MASK
    assert shown.http.headers == {"X-Api-Key": MASK, "Cookie": MASK, "Accept": "text/html"}


def test_push_token_is_shown_to_writers_and_masked_for_readers():
    keys = ring(generate_key())
    heartbeat = view(keys, kind="heartbeat", http=None, push_token=keys.seal("tok-1"))
    writer = monitor_secrets.present(heartbeat, "write", keys, "http://u.example/")
    reader = monitor_secrets.present(heartbeat, "read", keys, "http://u.example/")
    assert writer.push_token == "tok-1"
    assert writer.push_url == "http://u.example/api/v1/push/tok-1"
    assert reader.push_token == MASK and "tok-1" not in (reader.push_url or "")


def test_readers_see_a_target_without_its_password_or_query_tokens():
    keys = ring(generate_key())
    target = "https://bob:pw1@example.com/p?token=abc&page=2&api_key=zz"
    reader = monitor_secrets.present(view(keys, target=target), "read", keys, "http://u")
    assert "pw1" not in reader.target and "abc" not in reader.target and "zz" not in reader.target
    assert "page=2" in reader.target and reader.target.startswith("https://bob:")
    writer = monitor_secrets.present(view(keys, target=target), "write", keys, "http://u")
    assert writer.target == target


def test_exports_mask_secrets_unless_asked_to_include_them():
    keys = ring(generate_key())
    sealed = monitor_secrets.seal_input(fields(), None, keys)
    assert monitor_secrets.exported(sealed, keys, False).http.auth.password == MASK
    assert monitor_secrets.exported(sealed, keys, True).http.auth.password == "hunter22"


def _monitor(keys: Keyring) -> Monitor:
    sealed = monitor_secrets.seal_input(fields(), None, keys)
    values = msgspec.structs.asdict(sealed) | {"timeout_s": 10.0}
    return Monitor(**values, id="m1", created_at=NOW, updated_at=NOW)


def test_the_executor_opens_credentials_and_reports_a_key_it_lacks():
    keys = ring(generate_key())
    monitor = _monitor(keys)
    plain = opened(monitor, keys)
    assert plain.http.auth.password == "hunter22" and plain.http.headers["Cookie"] == "sid=42"
    lacking = opened(monitor, ring(generate_key()))
    assert isinstance(lacking, Outcome)
    assert lacking.status == "down" and lacking.error_kind == "secret_key"


def test_a_value_sealed_with_a_lost_key_reads_as_the_mask_and_a_patch_names_it():
    keys = ring(generate_key())
    heartbeat = view(keys, kind="heartbeat", push_token=keys.seal("tok-1"))
    other = ring(generate_key())
    shown = monitor_secrets.present(heartbeat, "admin", other, "http://u")
    assert shown.push_token == MASK
    with pytest.raises(ApiError) as caught:
        monitor_secrets.resolve(heartbeat, heartbeat, other)
    assert {e.field for e in caught.value.problem.errors} >= {"http.auth.password"}


def test_notifications_carry_the_target_without_its_secrets():
    assert secret_fields.shown_target("https://h.example/x?key=k1&a=1") == (
        "https://h.example/x?key=********&a=1"
    )
    assert secret_fields.shown_target("shop.example.com:443") == "shop.example.com:443"


def test_a_webhook_url_with_a_query_token_is_sealed_and_shown_with_the_token_masked():
    from services.api import channel_config

    keys = ring(generate_key())
    config = {"url": "https://hooks.example/in?token=t0p&team=ops", "secret": "s"}
    stored = channel_config.sealed("webhook", config, keys)
    assert is_sealed(stored["url"]) and "t0p" not in stored["url"]
    shown = channel_config.masked("webhook", stored, keys)
    assert shown["url"] == "https://hooks.example/in?token=********&team=ops"
    plain = {"url": "https://hooks.example/in?team=ops"}
    assert channel_config.sealed("webhook", plain, keys) == plain
    opened = secret_fields.map_channel("webhook", stored, lambda _, v: keys.open(v))
    assert opened == config


def test_a_target_carrying_a_credential_is_stored_masked_and_sealed_beside():
    keys = ring(generate_key())
    url = "https://bob:pw1@example.com/health?api_key=zz9&x=1"
    sent = MonitorFields(name="t", kind="http", target=url)
    resolved = monitor_secrets.resolve(sent, None, keys)
    assert resolved.plain.target == url
    assert resolved.sealed.target == "https://bob:********@example.com/health?api_key=********&x=1"
    assert keys.open(resolved.target_sealed) == url
    stored = Monitor(
        **msgspec.structs.asdict(resolved.sealed) | {"timeout_s": 10.0},
        id="m1",
        created_at=NOW,
        updated_at=NOW,
        target_sealed=resolved.target_sealed,
    )
    # The executor checks the real URL; every reader sees the masked one.
    assert opened(stored, keys).target == url
    view = MonitorView(**msgspec.structs.asdict(stored))
    shown = monitor_secrets.present(view, "admin", keys, "http://u")
    assert shown.target == resolved.sealed.target and shown.target_sealed is None
    assert monitor_secrets.exported(stored, keys, True).target == url
    # Sending the masked target back keeps it; a new credential replaces it.
    again = monitor_secrets.resolve(
        msgspec.structs.replace(sent, target=shown.target), stored, keys
    )
    assert again.target_sealed == stored.target_sealed and again.plain.target == url
    changed = monitor_secrets.resolve(
        msgspec.structs.replace(sent, target=url.replace("zz9", "new")), stored, keys
    )
    assert keys.open(changed.target_sealed).endswith("api_key=new&x=1")
    with pytest.raises(ApiError) as caught:
        monitor_secrets.resolve(msgspec.structs.replace(sent, target=shown.target), None, keys)
    assert [e.field for e in caught.value.problem.errors] == ["target"]
    plain = monitor_secrets.resolve(
        msgspec.structs.replace(sent, target="https://e.com/"), None, keys
    )
    assert plain.target_sealed is None and plain.sealed.target == "https://e.com/"
