import hashlib
import hmac
from datetime import UTC, datetime

import msgspec

from services.notifier.delivery import deliveries_for, delivery_id
from shared.channels.webhook import build, classify
from shared.events import Delivery, IncidentOpened, IncidentRef, MonitorRef, ResultRef

AT = datetime(2026, 1, 1, tzinfo=UTC)
MONITOR = MonitorRef(id="m1", name="shop", kind="http", target="https://shop.example/")
INCIDENT = IncidentRef(id="i1", opened_at=AT)
RESULT = ResultRef(status="down", error="HTTP 500", http_status=500, latency_ms=12.5, region="eu")


def delivery() -> Delivery:
    return Delivery(
        delivery_id="d1",
        channel_id="c1",
        event="monitor.down",
        source_event_id="e1",
        monitor=MONITOR,
        incident=INCIDENT,
        result=RESULT,
        at=AT,
    )


def test_body_follows_the_documented_shape():
    body = build(delivery(), {"url": "http://127.0.0.1/hook"}).body
    doc = msgspec.json.decode(body)
    assert doc["event"] == "monitor.down"
    assert doc["monitor"] == {"id": "m1", "name": "shop", "kind": "http", "target": MONITOR.target}
    assert doc["incident"]["id"] == "i1" and doc["incident"]["resolved_at"] is None
    assert doc["result"]["http_status"] == 500 and doc["result"]["region"] == "eu"
    assert doc["at"] == "2026-01-01T00:00:00Z"


def test_signature_is_hmac_sha256_of_the_exact_body():
    req = build(delivery(), {"url": "http://x/", "secret": "s3cret"})
    headers, body = req.headers, req.body
    want = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["X-Upmon-Signature"] == f"sha256={want}"
    assert headers["X-Upmon-Delivery"] == "d1"


def test_no_signature_without_secret():
    headers = build(delivery(), {"url": "http://x/"}).headers
    assert "X-Upmon-Signature" not in headers


def test_classify_retries_5xx_429_and_honours_retry_after():
    assert classify(204, None).ok
    assert classify(503, None).retryable
    limited = classify(429, "7")
    assert limited.retryable and limited.retry_after_s == 7
    assert not classify(400, None).retryable and not classify(400, None).ok


def test_delivery_id_is_stable_per_event_and_channel():
    assert delivery_id("e1", "c1") == delivery_id("e1", "c1")
    assert delivery_id("e1", "c1") != delivery_id("e1", "c2")


def test_dispatch_skips_channels_that_no_longer_exist():
    event = IncidentOpened(
        monitor=MONITOR, incident=INCIDENT, result=RESULT, channel_ids=["c1", "gone"]
    )
    out = deliveries_for(event, {"c1": "webhook"})
    assert [(s, d.channel_id, d.event) for s, d in out] == [
        ("notify.deliver.webhook.c1", "c1", "monitor.down")
    ]
