"""The channel test answered by a real notifier process, started as compose runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import eventually, settings_env
from tests.integration.test_providers import Recorder, recorder  # noqa: F401 - a fixture

ROOT = Path(__file__).parents[2]


async def test_a_running_notifier_sends_the_test_message(api, settings, recorder, tmp_path):  # noqa: F811
    ntfy = {"name": "phone", "kind": "ntfy", "config": {"topic": "ops", "server": recorder.url}}
    cid = (await api.call("POST", "/api/v1/channels", ntfy)).body["id"]
    env = {**os.environ, **settings_env(settings), "UPMON_PUBLIC_URL": "https://upmon.example.com"}
    with open(tmp_path / "notifier.log", "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "service", "notifier"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:

        async def answered():
            assert proc.poll() is None, (tmp_path / "notifier.log").read_text()
            reply = await api.call("POST", f"/api/v1/channels/{cid}/test")
            return reply if reply.status != 503 else None

        reply = await eventually(answered, timeout=20, interval=0.1)
    finally:
        proc.terminate()
        proc.wait(20)

    assert reply.status == 200 and reply.body == {"ok": True, "status_code": 200, "error": None}
    (got,) = recorder.seen
    assert got.path == "/ops" and got.headers["Click"] == "https://upmon.example.com/"
    assert got.headers["Title"].startswith("[upmon] TEST")
