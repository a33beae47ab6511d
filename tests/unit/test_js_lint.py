"""The dashboard's JavaScript passes Biome's recommended rules (pinned in
tools/js/package.json and its lock), as Python passes ruff."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
TOOLS = ROOT / "tools" / "js"
BIOME = TOOLS / "node_modules" / ".bin" / "biome"


@pytest.fixture(scope="module")
def biome() -> Path:
    npm = shutil.which("npm")
    assert npm, "npm is needed to install the pinned JavaScript linter (Debian: nodejs, npm)"
    if not BIOME.exists():
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--prefix", str(TOOLS)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-2000:]
    return BIOME


def lint(biome: Path, root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(biome), "lint", "--error-on-warnings", "--colors=off"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_dashboard_javascript_has_no_lint_findings(biome):
    done = lint(biome, ROOT)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert "Checked" in done.stdout + done.stderr


def test_the_linter_refuses_an_unused_variable_and_a_debugger_statement(biome, tmp_path):
    shutil.copy(ROOT / "biome.json", tmp_path / "biome.json")
    static = tmp_path / "services" / "api" / "web" / "static"
    static.mkdir(parents=True)
    (static / "probe.js").write_text("export function f() { const unused = 1; debugger; }\n")
    done = lint(biome, tmp_path)
    out = done.stdout + done.stderr
    assert done.returncode != 0
    assert "noUnusedVariables" in out and "noDebugger" in out
