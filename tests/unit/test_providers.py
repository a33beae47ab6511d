"""Provider logic without a network: texts, payload shapes, outcome classes, configs."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import msgspec
import pytest

from services.api import channel_config
from services.notifier.providers.registry import PROVIDERS
from shared import channels
from shared.channels import discord, email, opsgenie, pagerduty, slack, telegram, text
from shared.channels.base import SendContext
from shared.channels.http import classify, retry_after_seconds
from shared.events import Delivery, IncidentRef, MonitorRef, ResultRef
from shared.sealing import Keyring

OPENED = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
RESOLVED = OPENED + timedelta(minutes=12, seconds=5)
CTX = SendContext(timeout_s=2.0, public_url="https://upmon.example.com/")
MONITOR = MonitorRef(id="m1", name="shop frontpage", kind="http", target="https://shop.example/")
INCIDENT = IncidentRef(id="i-1", opened_at=OPENED)


def delivery(event: str = "monitor.down", **fields) -> Delivery:
    base = {
        "delivery_id": "d1",
        "channel_id": "c1",
        "event": event,
        "source_event_id": "e1",
        "monitor": MONITOR,
        "incident": INCIDENT,
        "result": ResultRef(
            status="down", error="HTTP 503", http_status=503, latency_ms=120.4, region="eu-west"
        ),
        "at": OPENED,
    }
    return Delivery(**{**base, **fields})


DOWN = delivery()
UP = delivery(
    "monitor.up",
    delivery_id="d2",
    incident=IncidentRef(id="i-1", opened_at=OPENED, resolved_at=RESOLVED),
    result=ResultRef(status="up", http_status=200, latency_ms=80.0, region="eu-west"),
    at=RESOLVED,
)
PING = delivery("test", incident=None, result=None)


# -- text --------------------------------------------------------------------------------


def test_down_text_says_what_failed_where_since_when_and_links_the_monitor():
    assert text.title(DOWN) == "[upmon] DOWN: shop frontpage"
    assert (
        text.summary(DOWN)
        == "shop frontpage (https://shop.example/) is down from eu-west: HTTP 503"
    )
    assert dict(text.facts(DOWN)) == {
        "Monitor": "shop frontpage",
        "Target": "https://shop.example/",
        "Check": "http",
        "Error": "HTTP 503",
        "HTTP status": "503",
        "Region": "eu-west",
        "Latency": "120 ms",
        "Down since": "2026-01-01 12:00:00 UTC",
    }
    assert text.link(DOWN, CTX) == "https://upmon.example.com/monitors/m1"
    assert text.plain(DOWN, CTX).endswith("\n\nhttps://upmon.example.com/monitors/m1\n")


def test_up_text_gives_the_downtime():
    assert text.title(UP) == "[upmon] UP: shop frontpage"
    assert text.summary(UP).endswith("is up again after 12m 5s.")
    facts = dict(text.facts(UP))
    assert facts["Up since"] == "2026-01-01 12:12:05 UTC" and facts["Downtime"] == "12m 5s"
    assert "Error" not in facts


def test_test_event_renders_as_a_test_message():
    assert text.title(PING).startswith("[upmon] TEST")
    assert "test message" in text.summary(PING)
    assert text.facts(PING) == [("Sent at", "2026-01-01 12:00:00 UTC")]
    assert text.link(PING, CTX) == "https://upmon.example.com/"


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, "0s"), (59, "59s"), (65, "1m 5s"), (3600, "1h"), (3725, "1h 2m"), (90061, "1d 1h")],
)
def test_durations_read_like_a_person_would_say_them(seconds, shown):
    assert text.duration(seconds) == shown


# -- payloads ----------------------------------------------------------------------------


def test_slack_escapes_control_characters_in_names():
    odd = delivery(monitor=msgspec.structs.replace(MONITOR, name="a<b>&c"))
    doc = slack.body(odd, CTX)
    assert "a&lt;b&gt;&amp;c" in doc["blocks"][1]["text"]["text"]
    assert doc["text"].startswith("[upmon] DOWN: a<b>&c")


def test_discord_never_pings_anyone():
    odd = delivery(monitor=msgspec.structs.replace(MONITOR, name="@everyone"))
    assert discord.body(odd, CTX)["allowed_mentions"] == {"parse": []}


def test_telegram_escapes_html():
    odd = delivery(monitor=msgspec.structs.replace(MONITOR, name="<b>x</b> & y"))
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in telegram.message(odd, CTX)


def test_pagerduty_test_event_has_its_own_key_and_low_severity():
    cfg = pagerduty.PagerDutyConfig(routing_key="k")
    doc = pagerduty.event(PING, cfg, CTX)
    assert doc["dedup_key"] == "upmon-test-d1"
    assert doc["payload"]["severity"] == "info"


def test_opsgenie_close_quotes_the_alias():
    odd = delivery(
        "monitor.up", incident=IncidentRef(id="a/b c", opened_at=OPENED, resolved_at=RESOLVED)
    )
    req = opsgenie.build(odd, opsgenie.OpsgenieConfig(api_key="k"), CTX)
    assert req.url == "https://api.opsgenie.com/v2/alerts/a%2Fb%20c/close?identifierType=alias"


def test_email_has_subject_stable_message_id_and_plain_body():
    cfg = email.EmailConfig(host="h", port=25, from_addr="a@b.io", to_addrs=["x@y.io", "z@y.io"])
    msg = email.build(DOWN, cfg, CTX)
    assert msg["Subject"] == "[upmon] DOWN: shop frontpage"
    assert msg["To"] == "x@y.io, z@y.io" and msg["Message-ID"] == "<d1@upmon>"
    assert msg["Date"] == format_datetime(OPENED)
    assert msg.get_content() == text.plain(DOWN, CTX)


# -- outcomes ----------------------------------------------------------------------------


def test_http_outcomes():
    assert classify(202, None).ok
    assert classify(500, None).retryable and classify(408, None).retryable
    limited = classify(429, "7")
    assert limited.retryable and limited.retry_after_s == 7
    refused = classify(400, None, b'{"message": "invalid routing key"}\n' + b"x" * 1000)
    assert not refused.ok and not refused.retryable and refused.status_code == 400
    assert refused.error.startswith('receiver answered 400: {"message": "invalid routing key"}')
    assert len(refused.error) < 400


def test_retry_after_as_an_http_date():
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= retry_after_seconds(later) <= 30
    assert retry_after_seconds("soon") is None


def test_smtp_4xx_is_retried_and_5xx_is_final():
    assert email.refusal(451, "try later").retryable
    final = email.refusal(550, "no such user")
    assert not final.retryable and final.status_code == 550 and "no such user" in final.error


async def test_a_stored_config_that_no_longer_fits_fails_for_good():
    outcome = await PROVIDERS["slack"](None, DOWN, {"url": "https://x/"}, CTX)
    assert not outcome.ok and not outcome.retryable
    assert "not valid for slack" in outcome.error


def test_every_channel_kind_has_a_provider_a_config_and_its_secrets():
    assert set(PROVIDERS) == set(channels.CONFIGS) == set(channels.SECRET_FIELDS)
    for kind, secret in channels.SECRET_FIELDS.items():
        assert secret <= {f.name for f in msgspec.structs.fields(channels.CONFIGS[kind])}


# -- configs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "config", "field"),
    [
        ("webhook", {"url": "ftp://x"}, "url"),
        ("webhook", {"url": "https://x", "headers": {"X-A": "1\r\nX-B: 2"}}, "headers"),
        ("webhook", {"url": "https://x", "headers": {"bad name": "1"}}, "headers"),
        ("telegram", {"bot_token": "t", "chat_id": 1, "api_url": "telegram"}, "api_url"),
        ("ntfy", {"topic": "t", "server": "https://"}, "server"),
        (
            "email",
            {"host": "h", "port": 25, "from_addr": "me", "to_addrs": ["a@b.io"]},
            "from_addr",
        ),
        (
            "email",
            {"host": "h", "port": 25, "from_addr": "a@b.io", "to_addrs": ["a@b.io", "x@y"]},
            "to_addrs[1]",
        ),
    ],
)
def test_problems_name_the_field(kind, config, field):
    assert [f for f, _ in channels.problems(channels.load(kind, config))] == [field]


def test_good_configs_have_no_problems_and_keep_defaults_out_of_storage():
    cfg = channels.load("pagerduty", {"routing_key": "r"})
    assert channels.problems(cfg) == []
    assert cfg.api_url == "https://events.pagerduty.com"
    assert msgspec.to_builtins(cfg) == {"routing_key": "r"}


KEYRING = Keyring(bytes(32))


def _masked(kind: str, config: dict) -> dict:
    """Masked as reads show a stored config: sealed first, as the api stores it."""
    return channel_config.masked(kind, channel_config.sealed(kind, config, KEYRING), KEYRING)


def test_masking_hides_every_secret_of_every_kind():
    hook = {"url": "https://h.example/x", "secret": "s", "headers": {"X-Api-Key": "k", "X-T": "1"}}
    assert _masked("webhook", hook) == {
        "url": "https://h.example/x",
        "secret": "********",
        "headers": {"X-Api-Key": "********", "X-T": "1"},
    }
    slack_url = {"webhook_url": "https://hooks.slack.com/services/T0/B0/XYZ"}
    assert _masked("slack", slack_url) == {"webhook_url": "https://hooks.slack.com/********"}
    pushover = {"token": "t", "user": "u", "api_url": "https://p.example"}
    assert _masked("pushover", pushover) == {
        "token": "********",
        "user": "********",
        "api_url": "https://p.example",
    }
    email_cfg = {"host": "h", "username": "me", "password": "pw"}
    assert _masked("email", email_cfg)["password"] == "********"


def test_mattermost_shows_names_as_text_not_markdown_or_mentions():
    from shared.channels import mattermost

    odd = delivery(monitor=MonitorRef(id="m1", name="@all *shop*", kind="http", target="x"))
    doc = mattermost.body(odd, mattermost.MattermostConfig(webhook_url="https://m/h"), CTX)
    assert doc["text"] == "\\[upmon\\] DOWN: \\@all \\*shop\\*"


def test_matrix_escapes_html_and_takes_room_aliases():
    from shared.channels import matrix

    odd = delivery(monitor=MonitorRef(id="m1", name="<script>", kind="http", target="x"))
    cfg = matrix.MatrixConfig(homeserver="https://m.org", access_token="t", room_id="#ops:m.org")
    req = matrix.build(odd, cfg, CTX)
    assert "<script>" not in msgspec.json.decode(req.body)["formatted_body"]
    assert "/rooms/%23ops%3Am.org/send/m.room.message/" in req.url and req.method == "PUT"


def test_every_module_of_the_channel_package_is_a_kind_of_the_registry():
    import pkgutil

    from services.api.schemas import ChannelKind

    modules = {m.name for m in pkgutil.iter_modules(channels.__path__)} - {"base", "http", "text"}
    assert (
        modules == set(channels.KINDS) == set(ChannelKind.__args__) == set(channels.SECRET_FIELDS)
    )
