"""README.md works as written: every shell command of its fenced blocks, and its
Python example, run against a stack this test starts, as a reader would type them
from the project folder while `make up` runs.

The reader's `.upmon/` (admin key, secret key, and the stack.env through which the
CLI finds the stack) is written for the test's stack, and the README's addresses
are replaced by that stack's. A command fails the test when it exits non-zero; curl
also fails on an HTTP error status unless it is listed as showing one on purpose.
Whatever is not listed below runs, so a new README command is tried by default.

No check leaves the machine: the README's monitors point at example.com, so the
executor is stopped once the stack is up, and checks are queued, never run."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import uuid
from pathlib import Path

import aiohttp
import asyncpg

from services.api.keys import create_api_key
from tests.conftest import TEST_SECRET_KEY, eventually, settings_env
from tests.debian_tools import tool
from tests.readme_commands import FAILING_CURL, Command, commands, fenced_blocks, is_shell

ROOT = Path(__file__).parents[2]
README = ROOT / "README.md"
PASSWORD = "readme-password-123"

# Commands not run here, each with its reason. A pattern that matches no README
# command fails the test, so the list stays the truth.
NOT_RUN: list[tuple[str, str]] = [
    (r"^make test\b", "the whole test suite, of which this test is a part"),
    (r"(^|&& |\s)make up\b", "starts another stack: the commands run against the test's"),
    (r"^upmon up\b", "starts another stack (a NATS cluster or a leaf node)"),
    (r"^upmon leaders --drain nats-2\b", "needs a NATS cluster; the test's stack is one server"),
    (r"\bupmon service \w+", "starts a service that runs until stopped, for another deployment"),
    (r"^docker\b", "needs a Docker engine; the compose files are checked by Compose"),
    (r"^kubectl\b", "needs Kubernetes; the manifests are checked against its schemas"),
    (r"^helm\b", "installs charts into a Kubernetes cluster"),
    (r"--data-dir \S+ restore\b", "starts the embedded parts in a new data dir: another stack"),
    (r"--data-dir \S+ monitors import\b", "imports into another stack, in another data dir"),
    (r"restore --deployment\b", "needs the empty servers of a new compose deployment"),
    (r"^set -a; \. \./\.env", "loads the settings of the compose deployment's .env"),
    (r"^export UPMON_NATS_URL=nats://127\.0\.0\.1:4222", "points the CLI at compose's servers"),
    (r"^\.venv/bin/python bench/anomaly\.py\b", "a benchmark of minutes, run by `make bench`"),
]

# curl commands that show an HTTP error on purpose; they must still exit 0.
SHOWS_AN_ERROR: list[tuple[str, str]] = [
    (r"^curl -sI \S+/api/v1/monitors\b", "shows the headers of a 401 problem"),
    (r"/badge/0{8}-", "counts 404s, then 429s, of a missing badge"),
    (r"169\.254\.169\.254", "shows the 422 an egress-denied target gets"),
]

# Commands that run until Ctrl-C: stopped with SIGINT after a while, they must not
# have failed before.
UNTIL_STOPPED: list[tuple[str, str]] = [
    (r"\breplay\b.*--follow\b", "follows a stream until Ctrl-C"),
]
FOLLOW_S = 4


def _edits(stack, ids: dict[str, str]) -> list[tuple[str, str, str]]:
    """(pattern, replacement, why): the README's placeholders and addresses made the
    test stack's. Each must match something, like the lists above."""
    api = stack.api_url.removeprefix("http://")
    return [
        (r"127\.0\.0\.1:8080", api, "the api's address"),
        (r"<monitor id>", ids["ID"], "a monitor's id"),
        (r"dlq retry 12\b", f"dlq retry {ids['DLQ_ID']}", "an existing dead letter's id"),
        (r"/tmp/backup\.log", "backup.log", "the job's log, kept in the project folder"),
    ]


def _matches(table: list[tuple[str, str]], text: str) -> str | None:
    return next((why for pattern, why in table if re.search(pattern, text, re.M)), None)


def readme_commands() -> list[Command]:
    return [c for b in fenced_blocks(README.read_text()) if is_shell(b) for c in commands(b)]


def python_examples() -> list[tuple[int, str]]:
    return [(b.line, b.text) for b in fenced_blocks(README.read_text()) if b.lang == "python"]


def test_every_listed_exception_names_a_readme_command():
    texts = [c.text for c in readme_commands()]
    for table in (NOT_RUN, SHOWS_AN_ERROR, UNTIL_STOPPED):
        for pattern, why in table:
            assert any(re.search(pattern, t, re.M) for t in texts), (pattern, why)


# -- the reader's project folder --------------------------------------------------------


def _project(tmp: Path, settings) -> Path:
    """A project folder like the reader's: the repository's files, and the .upmon/
    that `make up` leaves, for the test's stack."""
    project = tmp / "project"
    project.mkdir()
    # A copy, since commands write into it (`cp $C.example $C` under deploy/); only
    # the venv is shared. What the reader's commands make is left out.
    (project / ".venv").symlink_to(ROOT / ".venv")
    made = {".upmon", ".env", ".git", ".venv", "backups", "monitors.yaml", "backup.log"}
    skip = shutil.ignore_patterns("__pycache__", ".*_cache", "*.egg-info", "test-artifacts")
    for entry in ROOT.iterdir():
        if entry.name in made or skip(str(ROOT), [entry.name]):
            continue
        if entry.is_dir():
            shutil.copytree(entry, project / entry.name, symlinks=True, ignore=skip)
        else:
            shutil.copy2(entry, project / entry.name)
    data = project / ".upmon"
    data.mkdir()
    env = settings_env(settings)
    (data / "stack.env").write_text("".join(f"{k}={v}\n" for k, v in env.items()))
    (data / "secret.key").write_text(TEST_SECRET_KEY)
    (data / "secret.key").chmod(0o600)
    # The reader's own job, which the Jobs section times.
    (project / "bin").mkdir()
    job = project / "bin" / "backup.sh"
    job.write_text("#!/bin/sh\necho backed up\n")
    job.chmod(0o755)
    return project


async def _context(stack, project: Path) -> dict[str, str]:
    """What the README takes as known: the admin key, a heartbeat monitor (its id and
    push URL), a ping key to use and another to revoke, a password, a dead letter."""
    conn = await asyncpg.connect(stack.settings.pg_dsn)
    try:
        _, key = await create_api_key(conn, "admin", "admin")
    finally:
        await conn.close()
    (project / ".upmon" / "admin.key").write_text(key + "\n")
    headers = {"Authorization": f"Bearer {key}"}
    async with aiohttp.ClientSession(base_url=stack.api_url, headers=headers) as api:

        async def post(path: str, body: dict) -> dict:
            async with api.post(path, json=body) as resp:
                assert resp.status == 201, await resp.text()
                return await resp.json()

        beat = {"name": "readme job", "kind": "heartbeat", "heartbeat": {"period_s": 3600}}
        monitor = await post("/api/v1/monitors", beat)
        ping_key = await post("/api/v1/ping-keys", {"name": "readme hosts"})
        spare_key = await post("/api/v1/ping-keys", {"name": "readme spare"})
        # An undecodable result is dead-lettered by the consumers that read it.
        await stack.js.publish(f"checks.result.default.{uuid.uuid4()}", b"not an event")

        async def dead_letters():
            async with api.get("/api/v1/ops/dlq") as resp:
                return (await resp.json())["items"]

        [letter, *_] = await eventually(dead_letters, timeout=20)
    return {
        "KEY": key,
        "ID": monitor["id"],
        "PUSH_URL": monitor["push_url"],
        "PING_KEY": ping_key["key"],
        "PING_KEY_ID": spare_key["id"],
        "PASSWORD": PASSWORD,
        "DLQ_ID": str(letter["id"]),
    }


# -- running them -------------------------------------------------------------------------


def _edited(text: str, edits: list[tuple[str, str, str]], used: set[str]) -> str:
    for pattern, replacement, _ in edits:
        if re.search(pattern, text):
            used.add(pattern)
            text = re.sub(pattern, replacement.replace("\\", "\\\\"), text)
    return text


def _step(i: int, command: Command, text: str, out: Path) -> str:
    """One command of the script; its exit status and times are recorded as `i rc t0 t1`."""
    log = shlex.quote(str(out / f"{i}.out"))
    if _matches(UNTIL_STOPPED, command.text):
        body = f"timeout -s INT {FOLLOW_S} bash -c {shlex.quote(text)}"
        status = "rc=$?; [ $rc = 124 ] && rc=0"
    else:
        body, status = text, "rc=$?"
    plain = "1" if _matches(SHOWS_AN_ERROR, command.text) else "0"
    return (
        f"README_PLAIN_CURL={plain}; t0=$EPOCHREALTIME\n"
        f'{{\n{body}\n}} < "$README_STDIN" > {log} 2>&1\n'
        f'{status}; echo "{i} $rc $t0 $EPOCHREALTIME" >> "$README_STATUS"\n'
    )


def _run(project: Path, context: dict[str, str], steps: list[tuple[Command, str]]):
    out = project.parent / "out"
    out.mkdir()
    (out / "stdin").write_text(f"{PASSWORD}\n{PASSWORD}\n")
    script, block = FAILING_CURL, None
    for i, (command, text) in enumerate(steps):
        if command.block != block:
            # Each block in a subshell: its variables and `cd` stay in it, like the
            # reader's terminal for one example.
            script += (")\n" if block is not None else "") + "(\n"
            block = command.block
        script += _step(i, command, text, out)
    script += ")\n" if block is not None else ""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("UPMON_")},
        **context,
        # The reader's job on the path, and upmon as with the venv activated.
        "PATH": os.pathsep.join(
            [str(project / "bin"), str(project / ".venv" / "bin"), os.environ["PATH"]]
        ),
        "README_STDIN": str(out / "stdin"),
        "README_STATUS": str(out / "status"),
    }
    done = subprocess.run(
        ["bash", "-c", script], cwd=project, env=env, capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, done.stderr
    status = {}
    for line in (out / "status").read_text().splitlines():
        i, rc, start, end = line.split()
        status[int(i)] = (rc, float(end) - float(start))
    print(f"{sum(took for _, took in status.values()):.1f}s for {len(status)} commands")
    slowest = sorted(status.items(), key=lambda item: -item[1][1])[:5]
    for i, (_, took) in slowest:
        print(f"{took:5.1f}s README.md:{steps[i][0].line}: {steps[i][0].text[:70]}")
    failed = []
    for i, (command, text) in enumerate(steps):
        rc = status.get(i, ("not run", 0))[0]
        if rc != "0":
            tail = (out / f"{i}.out").read_text(errors="replace")[-800:]
            failed.append(f"README.md:{command.line} exit {rc}: {text}\n{tail}")
    return failed


def _run_python(project: Path, examples: list[tuple[int, str]]) -> list[str]:
    failed = []
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("UPMON_")},
        "PYTHONPATH": "clients/python",
    }
    for line, code in examples:
        done = subprocess.run(
            [str(project / ".venv" / "bin" / "python"), "-c", code],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if done.returncode != 0:
            failed.append(f"README.md:{line} (python) exit {done.returncode}:\n{done.stderr}")
    return failed


async def test_readme_commands_and_python_example_work_as_written(stack, tmp_path):
    # The programs the README's commands call besides upmon and the shell's own.
    for program in ("curl", "openssl"):
        tool(program, program)
    project = _project(tmp_path, stack.settings)
    context = await _context(stack, project)
    stack.kill("executor")
    edits = _edits(stack, context)
    used: set[str] = set()
    steps = [
        (c, _edited(c.text, edits, used))
        for c in readme_commands()
        if not _matches(NOT_RUN, c.text)
    ]
    examples = [(line, _edited(code, edits, used)) for line, code in python_examples()]
    assert examples, "the README has a Python client example"
    assert {p for p, _, _ in edits} == used, "an edit matches no README command"
    print(f"{len(steps)} README commands and {len(examples)} Python example(s) to run")

    failed = _run(project, context, steps) + _run_python(project, examples)

    assert failed == [], "\n\n".join(failed)


if __name__ == "__main__":  # what runs, and what does not and why
    for c in readme_commands():
        why = _matches(NOT_RUN, c.text)
        print(f"README.md:{c.line}: {'not run, ' + why if why else 'runs'}: {c.text[:70]}")
