"""Email through a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from services.notifier.providers.registry import PROVIDERS
from stack.parts import free_port
from tests.unit.test_providers import CTX, DOWN, PING, UP


class Mailbox:
    """Keeps what arrives; `answer` lets a test make the server refuse."""

    def __init__(self) -> None:
        self.received = []
        self.answer = "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.answer.startswith("250"):
            self.received.append(envelope)
        return self.answer


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, dict]]:
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    config = {
        "host": "127.0.0.1",
        "port": controller.port,
        "security": "none",
        "from_addr": "upmon@example.com",
        "to_addrs": ["ops@example.com", "oncall@example.com"],
    }
    yield box, config
    controller.stop()


async def test_down_and_up_arrive_as_plain_text_mail(mailbox):
    box, config = mailbox
    for d in (DOWN, UP):
        outcome = await PROVIDERS["email"](None, d, config, CTX)
        assert outcome.ok and outcome.status_code == 250, outcome

    down, up = box.received
    assert down.mail_from == "upmon@example.com"
    assert down.rcpt_tos == ["ops@example.com", "oncall@example.com"]
    mail = message_from_bytes(down.content, policy=policy.default)
    assert mail["Subject"] == "[upmon] DOWN: shop frontpage"
    assert mail["Message-ID"] == "<d1@upmon>" and mail["X-Upmon-Delivery"] == "d1"
    body = mail.get_content()
    assert "shop frontpage (https://shop.example/) is down from eu-west: HTTP 503" in body
    assert "Down since: 2026-01-01 12:00:00 UTC" in body
    assert "https://upmon.example.com/monitors/m1" in body
    up_mail = message_from_bytes(up.content, policy=policy.default)
    assert up_mail["Subject"] == "[upmon] UP: shop frontpage"
    assert "Downtime: 12m 5s" in up_mail.get_content()


async def test_a_test_message_is_labelled_as_one(mailbox):
    box, config = mailbox
    assert (await PROVIDERS["email"](None, PING, config, CTX)).ok
    mail = message_from_bytes(box.received[0].content, policy=policy.default)
    assert mail["Subject"].startswith("[upmon] TEST")


async def test_smtp_4xx_is_retried_and_5xx_is_final(mailbox):
    box, config = mailbox
    box.answer = "451 4.3.0 try again later"
    later = await PROVIDERS["email"](None, DOWN, config, CTX)
    box.answer = "554 5.7.1 rejected as spam"
    never = await PROVIDERS["email"](None, DOWN, config, CTX)

    assert later.retryable and later.status_code == 451 and "try again later" in later.error
    assert not never.retryable and never.status_code == 554 and "spam" in never.error
    assert box.received == []


async def test_no_mail_server_is_retried():
    config = {
        "host": "127.0.0.1",
        "port": free_port(),
        "security": "none",
        "from_addr": "upmon@example.com",
        "to_addrs": ["ops@example.com"],
    }
    outcome = await PROVIDERS["email"](None, DOWN, config, CTX)
    assert not outcome.ok and outcome.retryable and outcome.error


async def test_starttls_is_never_skipped_when_the_server_lacks_it(mailbox):
    box, config = mailbox
    outcome = await PROVIDERS["email"](None, DOWN, {**config, "security": "starttls"}, CTX)

    assert not outcome.ok and not outcome.retryable and "STARTTLS" in outcome.error
    assert box.received == []
