"""Monitor definitions of every kind: bad ones are 422 naming the field, good ones stored."""

from __future__ import annotations

import pytest

BAD = [
    ({"kind": "http", "target": "http://exa mple.com/"}, "target"),
    ({"kind": "http", "target": "https://example.com:0/"}, "target"),
    ({"kind": "http", "target": "https://x/", "http": {"regex": "(unclosed"}}, "http.regex"),
    (
        {"kind": "http", "target": "https://x/", "http": {"json_assertions": [{"path": "status"}]}},
        "http.json_assertions[0].path",
    ),
    (
        {
            "kind": "http",
            "target": "https://x/",
            "http": {"json_assertions": [{"path": "$.n", "op": ">", "value": "ten"}]},
        },
        "http.json_assertions[0].value",
    ),
    ({"kind": "http", "target": "https://x/", "http": {"auth": {"type": "x"}}}, "http.auth.type"),
    ({"kind": "tcp", "target": "db.internal"}, "target"),
    ({"kind": "tcp", "target": "db.internal:65536"}, "target"),
    ({"kind": "dns", "target": "not a host"}, "target"),
    ({"kind": "dns", "target": "example.com", "dns": {"record_type": "SRV"}}, "dns.record_type"),
    (
        {"kind": "dns", "target": "example.com", "dns": {"resolver": "10.0.0.1:99999"}},
        "dns.resolver",
    ),
    ({"kind": "tls", "target": "example.com:0"}, "target"),
    ({"kind": "ping", "target": "bad host!"}, "target"),
    ({"kind": "heartbeat", "heartbeat": {"period_s": 0}}, "heartbeat.period_s"),
    ({"kind": "http", "target": "https://x/", "interval_s": 30, "timeout_s": 30}, "timeout_s"),
]


@pytest.mark.parametrize(("fields", "field"), BAD, ids=[f for _, f in BAD])
async def test_bad_definitions_of_each_kind_are_422_naming_the_field(api, fields, field):
    reply = await api.call("POST", "/api/v1/monitors", {"name": "m", **fields})
    assert reply.status == 422, reply.body
    assert field in [e["field"] for e in reply.body["errors"]], reply.body


GOOD = [
    {
        "kind": "http",
        "target": "https://example.com/",
        "http": {"auth": {"type": "bearer", "token": "t"}},
    },
    {"kind": "tcp", "target": "[::1]:5432"},
    {
        "kind": "dns",
        "target": "example.com",
        "dns": {"record_type": "MX", "resolver": "127.0.0.1:53"},
    },
    {"kind": "tls", "target": "example.com"},
    {"kind": "ping", "target": "192.0.2.1"},
    {"kind": "heartbeat"},
]


@pytest.mark.parametrize("fields", GOOD, ids=[f["kind"] for f in GOOD])
async def test_good_definitions_of_each_kind_are_stored(api, fields):
    reply = await api.call("POST", "/api/v1/monitors", {"name": "m", **fields})
    assert reply.status == 201, reply.body
    assert reply.body["kind"] == fields["kind"]
    assert (reply.body["push_url"] is not None) == (fields["kind"] == "heartbeat")
