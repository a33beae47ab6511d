"""The redis kind's definition rules, what it sends and how it judges the replies (pure)."""

import asyncio

import msgspec
import pytest

from shared import secret_fields
from shared.kinds import REGISTRY
from shared.kinds.redis import RedisOptions, Refused, commands, encode, read_reply, verdict
from shared.monitors import MonitorFields, validate
from shared.sealing import MASK


def fields(**kw) -> MonitorFields:
    return msgspec.convert({"name": "cache", "kind": "redis", **kw}, MonitorFields)


@pytest.mark.parametrize(
    "body",
    [
        {"target": "cache.example.com"},
        {"target": "cache.example.com:6380", "redis": {"password": "pw", "tls": True}},
        {"target": "10.0.0.5:6379", "redis": {"username": "probe", "password": "pw"}},
        {"target": "[::1]:6379", "redis": {"database": 15, "verify_tls": False}},
        {"target": "cache.example.com", "redis": {"password": MASK}},
    ],
)
def test_valid_redis_monitors_have_no_errors(body):
    assert validate(fields(**body)) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"target": ""}, "target"),
        ({"target": "cache.example.com:65536"}, "target"),
        ({"target": "cache.example.com", "redis": {"username": "probe"}}, "redis.username"),
        ({"target": "cache.example.com", "redis": {"password": "p" * 513}}, "redis.password"),
        ({"target": "cache.example.com", "redis": {"password": "\u00e9" * 257}}, "redis.password"),
    ],
)
def test_invalid_redis_definitions_name_the_field(body, field):
    assert field in [e.field for e in validate(fields(**body))]


@pytest.mark.parametrize(
    ("redis", "message"),
    [
        ({"database": -1}, r"Expected `int` >= 0 - at `\$.redis.database`"),
        ({"database": 65536}, r"Expected `int` <= 65535 - at `\$.redis.database`"),
        ({"password": ""}, r"length >= 1 - at `\$.redis.password`"),
        ({"password": "x" * 1025}, r"length <= 1024 - at `\$.redis.password`"),
        ({"password": "a\r\nFLUSHALL"}, r"at `\$.redis.password`"),
        ({"username": "u" * 257, "password": "p"}, r"length <= 256 - at `\$.redis.username`"),
        ({"tls": "yes"}, r"Expected `bool`, got `str` - at `\$.redis.tls`"),
    ],
)
def test_out_of_bounds_options_are_refused_where_they_are_decoded(redis, message):
    with pytest.raises(msgspec.ValidationError, match=message):
        fields(target="cache.example.com", redis=redis)


def test_the_password_is_a_secret_of_the_monitor():
    kind = REGISTRY["redis"]
    assert (kind.target, kind.default_port, kind.secrets) == ("host_port", 6379, ("password",))
    monitor = fields(target="cache.example.com", redis={"username": "u", "password": "pw"})
    assert secret_fields.monitor_secrets(monitor) == {"redis.password": "pw"}
    masked = secret_fields.map_monitor(monitor, lambda _path, _value: MASK)
    assert (masked.redis.username, masked.redis.password) == ("u", MASK)
    assert {f.name for f in kind.form} == set(RedisOptions.__struct_fields__)


def test_a_sealed_password_of_the_longest_plaintext_fits_the_stored_field():
    from shared.sealing import Keyring

    sealed = Keyring(b"k" * 32).seal("\u00e9" * 256)
    assert len(sealed) <= 1024
    assert validate(fields(target="cache.example.com", redis={"password": sealed})) == []


def test_what_is_sent_depends_on_the_options():
    assert commands(RedisOptions()) == [["PING"]]
    assert commands(RedisOptions(password="pw", database=2)) == [
        ["AUTH", "pw"],
        ["SELECT", "2"],
        ["PING"],
    ]
    assert commands(RedisOptions(username="probe", password="pw"))[0] == ["AUTH", "probe", "pw"]


def test_commands_are_resp_arrays_of_bulk_strings_so_any_password_byte_is_safe():
    assert encode(["AUTH", "p w\u00e9"]) == b"*2\r\n$4\r\nAUTH\r\n$5\r\np w\xc3\xa9\r\n"


@pytest.mark.parametrize(
    ("sent", "replies", "expected"),
    [
        ([["PING"]], [("+", "PONG")], None),
        ([["AUTH", "pw"], ["PING"]], [("+", "OK"), ("+", "PONG")], None),
        (
            [["AUTH", "pw"], ["PING"]],
            [("-", "WRONGPASS invalid username-password pair"), ("-", "NOAUTH Authentication")],
            ("auth", "AUTH was refused: WRONGPASS invalid username-password pair"),
        ),
        (
            [["PING"]],
            [("-", "NOAUTH Authentication required.")],
            ("auth", "PING was refused: NOAUTH Authentication required."),
        ),
        (
            [["SELECT", "99"], ["PING"]],
            [("-", "ERR DB index is out of range"), ("+", "PONG")],
            ("expect", "SELECT answered -ERR DB index is out of range, not +OK"),
        ),
        (
            [["PING"]],
            [("-", "LOADING Redis is loading the dataset in memory")],
            ("expect", "PING answered -LOADING Redis is loading the dataset in memory, not +PONG"),
        ),
        ([["PING"]], [("$", "PONG")], ("expect", "PING answered a bulk reply 'PONG', not +PONG")),
    ],
)
def test_the_first_unhealthy_reply_decides(sent, replies, expected):
    problem = verdict(sent, replies)
    assert (problem and (problem.error_kind, problem.message)) == expected


def _reader(data: bytes) -> asyncio.StreamReader:
    reader = asyncio.StreamReader(limit=4096)
    reader.feed_data(data)
    reader.feed_eof()
    return reader


async def test_replies_of_each_type_are_read():
    reader = _reader(b"+PONG\r\n-ERR no\r\n:42\r\n$3\r\nabc\r\n$-1\r\n*2\r\n")
    got = [await read_reply(reader) for _ in range(6)]
    assert got == [("+", "PONG"), ("-", "ERR no"), (":", "42"), ("$", "abc"), ("$", ""), ("*", "")]


@pytest.mark.parametrize(
    ("data", "kind", "message"),
    [
        (
            b"HTTP/1.1 400 Bad Request\r\n",
            "expect",
            "not a Redis reply: 'HTTP/1.1 400 Bad Request'",
        ),
        (b"+PON", "connection", "the server closed the connection after '+PON'"),
        (b"$99999999\r\n", "expect", "a bulk reply of length '99999999'"),
        (b"$5\r\nab", "connection", "the server closed the connection within a reply"),
        (b"+" + b"x" * 5000 + b"\r\n", "expect", "a reply line is over 4096 bytes"),
    ],
)
async def test_a_reply_that_is_not_resp_or_breaks_off_is_named(data, kind, message):
    with pytest.raises(Refused) as caught:
        await read_reply(_reader(data))
    assert (caught.value.error_kind, caught.value.message) == (kind, message)
