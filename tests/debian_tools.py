"""Command-line tools from Debian packages that tests run (promtool, ...): installed
with apt-get when missing. When that fails the test fails with apt's output and the
reason: it never skips."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

APT_GET = ["apt-get", "-o", "DPkg::Lock::Timeout=600"]


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(
        args, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )


def _has_candidate(package: str) -> bool:
    found = _run(["apt-cache", "policy", package], 60)
    return found.returncode == 0 and "Candidate:" in found.stdout and "(none)" not in found.stdout


def tool(binary: str, package: str) -> Path:
    """The path of `binary`, installing Debian's `package` first when it is missing."""
    found = shutil.which(binary)
    if found:
        return Path(found)
    if shutil.which("apt-get") is None:
        pytest.fail(f"{binary} is missing and there is no apt-get to install {package} with")
    print(f"installing Debian's {package} for {binary} (not found on PATH)")
    steps: list[subprocess.CompletedProcess[str]] = []
    if not _has_candidate(package):
        steps.append(_run([*APT_GET, "update"], 600))
    if not steps or steps[-1].returncode == 0:
        steps.append(_run([*APT_GET, "install", "-y", package], 900))
    found = shutil.which(binary)
    if found is None:
        report = "\n".join(
            f"$ {' '.join(s.args)} -> exit {s.returncode}\n{s.stdout[-4000:]}{s.stderr[-4000:]}"
            for s in steps
        )
        pytest.fail(f"could not install {package} with apt-get:\n{report}", pytrace=False)
    return Path(found)
