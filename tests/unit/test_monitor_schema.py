import msgspec
import pytest

from shared.monitors import MonitorFields, effective_timeout, validate


def fields(**kw) -> MonitorFields:
    base = {"name": "x", "kind": "http", "target": "https://example.com/"}
    return msgspec.convert({**base, **kw}, MonitorFields)


def test_valid_http_monitor_has_no_errors():
    assert validate(fields()) == []


def test_default_timeout_always_fits_the_interval():
    assert effective_timeout(fields(interval_s=1)) < 1
    assert effective_timeout(fields(interval_s=600)) == 10


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"target": "ftp://x/"}, "target"),
        ({"target": "not a url"}, "target"),
        ({"target": "http://host:99999/"}, "target"),
        ({"interval_s": 10, "timeout_s": 10}, "timeout_s"),
        ({"kind": "tcp", "target": "db.local"}, "target"),
        ({"kind": "tcp", "target": "db.local:70000"}, "target"),
        ({"http": {"regex": "("}}, "http.regex"),
        ({"http": {"accepted_status": ["299-200"]}}, "http.accepted_status[0]"),
        ({"regions": ["eu", "eu"]}, "regions"),
        ({"http": {"headers": {"X-A": "a\r\nInjected: 1"}}}, "http.headers.X-A"),
        ({"http": {"headers": {"bad name": "v"}}}, "http.headers.bad name"),
    ],
)
def test_invalid_definitions_name_the_field(kw, field):
    assert field in [e.field for e in validate(fields(**kw))]


def test_unknown_fields_are_refused():
    with pytest.raises(msgspec.ValidationError, match="unknown field `bogus`"):
        fields(bogus=1)
