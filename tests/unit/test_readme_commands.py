"""Splitting a README's fenced blocks into the commands a reader types."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.readme_commands import FAILING_CURL, Block, commands, fenced_blocks, is_shell

MARKDOWN = """# Title

## Use

```sh
# a note
make up   # runs
curl -s -d '{
  "a": 1
}' http://x/ \\
  -H 'X: y'
for i in 1 2; do
  echo $i
done | sort
```

```
upmon up --leaf eu
```

```
  api ──▶ scheduler
```

```yaml
a: 1
```
"""


def test_blocks_carry_their_language_section_and_first_line():
    blocks = fenced_blocks(MARKDOWN)

    assert [(b.lang, b.line, b.section) for b in blocks] == [
        ("sh", 6, "Use"),
        ("", 18, "Use"),
        ("", 22, "Use"),
        ("yaml", 26, "Use"),
    ]


def test_shell_blocks_are_labelled_or_start_with_a_program():
    assert [is_shell(b) for b in fenced_blocks(MARKDOWN)] == [True, True, False, False]


def test_quotes_continuations_and_loops_make_one_command_each_and_notes_are_skipped():
    found = commands(fenced_blocks(MARKDOWN)[0])

    assert [c.line for c in found] == [7, 8, 12]
    assert found[0].text == "make up   # runs"
    assert found[1].text.endswith("-H 'X: y'") and found[1].text.count("\n") == 3
    assert found[2].text.endswith("done | sort")


def test_a_command_the_shell_cannot_finish_is_an_error_naming_its_line():
    with pytest.raises(ValueError, match="line 3"):
        commands(Block("sh", 2, "s", "echo ok\ncurl -d '{\n"))


@pytest.mark.parametrize(
    ("command", "sent"),
    [
        ("curl -s http://x/", "--fail-with-body -s http://x/"),
        ("curl -s --data-binary @f http://x/", "--fail-with-body -s --data-binary @f http://x/"),
        ("curl -fsS http://x/", "-fsS http://x/"),
        ("curl --fail http://x/", "--fail http://x/"),
        ("README_PLAIN_CURL=1; curl -sI http://x/", "-sI http://x/"),
    ],
)
def test_readme_curl_fails_on_http_errors_unless_asked_otherwise(tmp_path, command, sent):
    # A stand-in curl that prints the arguments it was given.
    (tmp_path / "curl").write_text('#!/bin/sh\necho "$@"\n')
    (tmp_path / "curl").chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}"}

    done = subprocess.run(
        ["bash", "-c", FAILING_CURL + command], env=env, capture_output=True, text=True
    )

    assert done.stdout.strip() == sent


def test_readme_commands_fail_when_any_part_of_a_pipeline_fails():
    done = subprocess.run(["bash", "-c", FAILING_CURL + "false | cat"], capture_output=True)

    assert done.returncode == 1
