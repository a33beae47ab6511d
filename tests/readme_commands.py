"""The commands of a Markdown file's fenced blocks, as a reader would type them.

A block is shell when its fence says so (sh, bash, shell, console) or, unlabelled,
when it starts with a program a reader would run (`upmon up --leaf eu`). A command
is a line plus whatever the shell needs to finish it (a backslash continuation, a
quote or a loop spanning lines): `bash -n` decides, so the split is the shell's own."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

SHELL_FENCES = {"sh", "bash", "shell", "console", "zsh"}
# First words of an unlabelled block that make it commands rather than a diagram,
# a formula or settings.
PROGRAMS = ("upmon", "make", "curl", "docker", "kubectl", "helm", "kustomize", ".venv/bin/")
_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)")

# bash: curl fails on an HTTP error status (as `curl -f` does) unless the command
# asks for -f itself or shows an error on purpose.
FAILING_CURL = r"""
curl() {
  if [ "${README_PLAIN_CURL:-0}" = 1 ]; then command curl "$@"; return; fi
  local a
  for a in "$@"; do
    case "$a" in
      --fail|--fail-with-body) command curl "$@"; return ;;
      --*) ;;
      -*f*) command curl "$@"; return ;;
    esac
  done
  command curl --fail-with-body "$@"
}
set -o pipefail
"""


@dataclass(frozen=True)
class Block:
    lang: str
    line: int  # 1-based line of the first line inside the fence
    section: str
    text: str


@dataclass(frozen=True)
class Command:
    text: str
    line: int
    section: str
    block: int  # line of the block it is in: a block reads as one shell session


def fenced_blocks(markdown: str) -> list[Block]:
    blocks: list[Block] = []
    section, fence, lang, start, body = "", None, "", 0, []
    for number, line in enumerate(markdown.splitlines(), 1):
        if fence is None:
            if line.startswith("#"):
                section = line.lstrip("#").strip()
            m = _FENCE.match(line)
            if m:
                fence, lang, start, body = m.group(2), m.group(3).lower(), number + 1, []
            continue
        if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
            blocks.append(Block(lang, start, section, "\n".join(body)))
            fence = None
        else:
            body.append(line)
    return blocks


def is_shell(block: Block) -> bool:
    if block.lang in SHELL_FENCES:
        return True
    if block.lang:
        return False
    first = next((ln.strip() for ln in block.text.splitlines() if ln.strip()), "")
    return first.startswith(PROGRAMS)


def complete(text: str) -> bool:
    """Whether bash reads `text` as finished commands (no open quote, loop, `\\`)."""
    if text.rstrip().endswith("\\"):
        return False
    done = subprocess.run(["bash", "-n"], input=text, capture_output=True, text=True)
    return done.returncode == 0


def commands(block: Block) -> list[Command]:
    found: list[Command] = []
    pending: list[str] = []
    first = 0
    for offset, line in enumerate(block.text.splitlines()):
        if not pending:
            if not line.strip() or line.lstrip().startswith("#"):
                continue  # comments are the README's notes (often sample output)
            first = block.line + offset
        pending.append(line)
        text = "\n".join(pending)
        if complete(text):
            found.append(Command(text, first, block.section, block.line))
            pending = []
    if pending:
        unread = "\n".join(pending)
        raise ValueError(f"line {first}: the shell cannot read this command:\n{unread}")
    return found
