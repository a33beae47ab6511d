"""Pure rules of the HTTP check: status ranges and judging a response against the spec."""

from __future__ import annotations

import pytest

from shared.kinds.http import HttpSpec
from shared.probes.http import Page, judge, status_accepted


@pytest.mark.parametrize(
    ("code", "accepted", "ok"),
    [
        (200, ["200-299"], True),
        (299, ["200-299"], True),
        (300, ["200-299"], False),
        (199, ["200-299"], False),
        (204, ["204"], True),
        (200, ["204"], False),
        (404, ["200-299", "404"], True),
        (503, ["200-299", "404"], False),
        (301, ["300-308"], True),
    ],
)
def test_status_accepted(code, accepted, ok):
    assert status_accepted(code, accepted) is ok


def test_wrong_status_names_the_code_and_the_accepted_list():
    spec = HttpSpec(accepted_status=["200-299", "304"])
    status, kind, error = judge(spec, Page(status=500), 10.0)
    assert (status, kind) == ("down", "http_status")
    assert "500" in error
    assert "200-299, 304" in error


def test_status_is_judged_before_the_body():
    spec = HttpSpec(keyword="missing")
    assert judge(spec, Page(status=404, body=b"nothing"), 1.0)[1] == "http_status"


@pytest.mark.parametrize(
    ("body", "absent", "verdict"),
    [
        (b"all systems operational", False, ("up", None)),
        (b"major outage", False, ("down", "keyword")),
        (b"all systems operational", True, ("down", "keyword")),
        (b"major outage", True, ("up", None)),
    ],
)
def test_keyword_present_or_absent(body, absent, verdict):
    spec = HttpSpec(keyword="operational", keyword_absent=absent)
    status, kind, error = judge(spec, Page(status=200, body=body), 1.0)
    assert (status, kind) == verdict
    assert (error is None) == (kind is None)
    if error:
        assert "'operational'" in error


def test_regex_searches_the_decoded_body():
    spec = HttpSpec(regex=r"version: \d+\.\d+")
    assert judge(spec, Page(status=200, body=b"<p>version: 3.14</p>"), 1.0)[0] == "up"
    status, kind, error = judge(spec, Page(status=200, body=b"<p>version: x</p>"), 1.0)
    assert (status, kind) == ("down", "regex")
    assert "did not match" in error


def test_body_is_decoded_with_its_charset():
    spec = HttpSpec(keyword="café")
    latin1 = Page(status=200, body="un café".encode("latin-1"), charset="iso-8859-1")
    assert judge(spec, latin1, 1.0)[0] == "up"
    unknown = Page(status=200, body="un café".encode(), charset="no-such-charset")
    assert judge(spec, unknown, 1.0)[0] == "up"


def test_a_miss_in_a_capped_body_is_body_too_large():
    spec = HttpSpec(keyword="footer", max_body_bytes=6)
    status, kind, error = judge(spec, Page(status=200, body=b"header", truncated=True), 1.0)
    assert (status, kind) == ("down", "body_too_large")
    assert "'footer'" in error
    assert "first 6 bytes" in error
    assert "max_body_bytes" in error


def test_a_hit_in_a_capped_body_is_conclusive():
    found = HttpSpec(keyword="head", max_body_bytes=6)
    assert judge(found, Page(status=200, body=b"header", truncated=True), 1.0)[0] == "up"
    forbidden = HttpSpec(keyword="head", keyword_absent=True, max_body_bytes=6)
    page = Page(status=200, body=b"header", truncated=True)
    assert judge(forbidden, page, 1.0)[1] == "keyword"


def test_absent_keyword_cannot_be_proven_on_a_capped_body():
    spec = HttpSpec(keyword="error", keyword_absent=True, max_body_bytes=6)
    status, kind, _ = judge(spec, Page(status=200, body=b"header", truncated=True), 1.0)
    assert (status, kind) == ("down", "body_too_large")


def test_capped_body_without_rules_is_fine():
    spec = HttpSpec(max_body_bytes=6)
    assert judge(spec, Page(status=200, body=b"header", truncated=True), 1.0) == ("up", None, None)


def test_slow_response_is_degraded_with_a_message():
    spec = HttpSpec(degraded_after_ms=100)
    assert judge(spec, Page(status=200), 100.0)[0] == "up"
    status, kind, error = judge(spec, Page(status=200), 250.4)
    assert (status, kind) == ("degraded", None)
    assert error == "latency 250 ms is above degraded_after_ms (100 ms)"


def test_failures_win_over_degraded():
    spec = HttpSpec(degraded_after_ms=1, keyword="x")
    assert judge(spec, Page(status=200, body=b"y"), 500.0)[0] == "down"
