"""`upmon replay`, `upmon dlq` and `upmon rebuild clickhouse` as subprocesses
against real NATS and ClickHouse."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import uuid
from datetime import timedelta

import msgspec

from services.recorder.rows import COLUMNS, row
from shared.events import utcnow
from tests.conftest import settings_env
from tests.integration.test_cli import UPMON, upmon
from tests.integration.test_ops_dlq import dead_letter, publish_results, result
from tests.integration.test_ops_events import three_phases


def lines(done: subprocess.CompletedProcess) -> list[dict]:
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def one_line_error(done: subprocess.CompletedProcess, code: int = 1) -> str:
    assert done.returncode == code, done.stdout
    assert done.stderr.startswith("upmon: ") and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    return done.stderr


# -- replay ------------------------------------------------------------------------------


async def test_replay_prints_a_window_and_from_a_sequence(settings, js):
    since, until, seqs = await three_phases(js)

    window = lines(
        upmon(settings, "replay", "--stream", "results", "--since", since, "--until", until)
    )
    tail = lines(upmon(settings, "replay", "--stream", "RESULTS", "--seq", str(seqs[3])))

    assert [e["seq"] for e in window] == seqs[1:4]
    assert window[0]["event"]["type"] == "check.result"
    assert [e["seq"] for e in tail] == seqs[3:]
    assert lines(upmon(settings, "replay", "--stream", "DLQ")) == []


async def test_replay_follow_prints_new_events_until_ctrl_c(settings, js):
    mid = str(uuid.uuid4())
    await publish_results(js, [result(mid, 1)])
    env = {**os.environ, **settings_env(settings)}
    proc = subprocess.Popen(
        [UPMON, "replay", "--stream", "RESULTS", "--follow"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = json.loads(proc.stdout.readline())
        await publish_results(js, [result(mid, 2)])
        second = json.loads(proc.stdout.readline())
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0, proc.stderr.read()
    finally:
        proc.kill()
    assert [first["event"]["check_id"], second["event"]["check_id"]] == [f"{mid}:1", f"{mid}:2"]
    consumers = [c.name for c in await js.consumers_info("RESULTS")]
    assert sorted(consumers) == ["notifier-state", "recorder", "recorder-runs"]


def test_replay_refuses_bad_arguments(settings):
    subject = upmon(settings, "replay", "--stream", "RESULTS", "--subject", "monitors.>")
    assert "--subject monitors.>: matches nothing" in one_line_error(subject)
    both = upmon(settings, "replay", "--stream", "RESULTS", "--since", "1h", "--seq", "3")
    assert "not allowed with" in one_line_error(both, code=2)
    gone = msgspec.structs.replace(settings, nats_url="nats://127.0.0.1:1")
    started = time.monotonic()
    assert "cannot reach NATS" in one_line_error(upmon(gone, "replay", "--stream", "RESULTS"))
    assert time.monotonic() - started < 10


# -- dlq ---------------------------------------------------------------------------------


async def test_dlq_list_retry_and_discard(settings, js):
    mid = str(uuid.uuid4())
    await dead_letter(js, [result(mid, 1), result(mid, 2)], reason="bad row")

    listed = upmon(settings, "dlq", "list")
    as_json = lines(upmon(settings, "dlq", "list", "--json"))
    first, second = (d["id"] for d in as_json)
    retried = upmon(settings, "dlq", "retry", first)
    again = upmon(settings, "dlq", "retry", first)
    discarded = upmon(settings, "dlq", "discard", second)

    assert listed.returncode == 0 and "recorder" in listed.stdout and "bad row" in listed.stdout
    assert as_json[0]["event"]["check_id"] == f"{mid}:1"
    assert retried.returncode == 0 and f"checks.result.default.{mid}" in retried.stdout
    assert f"no dead letter with id {first}" in one_line_error(again)
    assert discarded.returncode == 0
    assert upmon(settings, "dlq", "list").stdout.strip() == "no dead letters"
    assert (await js.stream_info("DLQ")).state.messages == 0


async def test_dlq_bulk_retry_discard_purge_and_report(settings, js):
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    await dead_letter(
        js, [result(a, 1, "eu"), result(a, 2, "eu"), result(b, 1)], reason="bad row 7"
    )

    dry = upmon(settings, "dlq", "retry", "--subject", "checks.result.eu.>", "--dry-run")
    retried = upmon(settings, "dlq", "retry", "--subject", "checks.result.eu.>")
    nothing = upmon(settings, "dlq", "discard")
    report = upmon(settings, "dlq", "report")
    kept = upmon(settings, "dlq", "purge", "--older-than", "7d")
    bad_span = upmon(settings, "dlq", "purge", "--older-than", "soon")
    discarded = upmon(settings, "dlq", "discard", "--all", "--error", "BAD ROW")

    assert dry.returncode == 0 and "would retry 2 dead letter(s)" in dry.stdout, dry.stderr
    assert "retried 2 of 2 matching" in retried.stdout, retried.stderr
    assert "an ID, a filter, or --all" in one_line_error(nothing)
    assert report.returncode == 0 and "bad row #" in report.stdout and "recorder" in report.stdout
    assert "purged 0 dead letter(s)" in kept.stdout
    assert "--older-than" in one_line_error(bad_span)
    assert "discarded 1 of 1 matching" in discarded.stdout
    assert (await js.stream_info("DLQ")).state.messages == 0


# -- rebuild -----------------------------------------------------------------------------


async def count(ch, settings) -> int:
    table = f"`{settings.clickhouse_database}`.check_results"
    return (await ch.query(f"SELECT count() FROM {table}")).result_rows[0][0]


async def test_rebuild_fills_gaps_without_doubling_rows(settings, js, ch):
    mid = str(uuid.uuid4())
    at = utcnow() - timedelta(hours=1)
    results = [result(mid, n, at=at) for n in range(4)] + [result(mid, 0, region="eu", at=at)]
    await publish_results(js, results)
    table = f"`{settings.clickhouse_database}`.check_results"
    await ch.insert(table, [row(r) for r in results[:2]], column_names=COLUMNS)

    first = upmon(settings, "rebuild", "clickhouse", "--since", "10m")
    assert first.returncode == 0, first.stderr
    assert "read 5 results: 3 inserted, 2 already" in first.stdout
    assert await count(ch, settings) == 5

    second = upmon(settings, "rebuild", "clickhouse", "--since", "10m")
    assert "0 inserted, 5 already" in second.stdout and await count(ch, settings) == 5

    await ch.command(
        f"ALTER TABLE {table} DELETE WHERE region = 'eu' OR check_id = '{mid}:3'",
        settings={"mutations_sync": 2},
    )
    assert await count(ch, settings) == 3
    third = upmon(settings, "rebuild", "clickhouse", "--since", "10m")
    assert "2 inserted, 3 already" in third.stdout and await count(ch, settings) == 5


def test_rebuild_needs_since_and_a_known_target(settings):
    one_line_error(upmon(settings, "rebuild", "clickhouse"), code=2)
    one_line_error(upmon(settings, "rebuild", "postgres", "--since", "1h"), code=2)


# -- leaders -----------------------------------------------------------------------------


def test_leaders_on_a_single_server_has_nothing_to_move_and_nothing_to_drain(settings):
    for args in (("leaders",), ("leaders", "--balance", "--json")):
        done = upmon(settings, *args)
        assert done.returncode == 0, done.stderr
        assert "single server" in done.stdout or '"single":true' in done.stdout, done.stdout
    err = one_line_error(upmon(settings, "leaders", "--drain", "nats-2"))
    assert "single server" in err
