"""bench/e2e.py at a small scale: the benchmark keeps working, and the whole stack under
steady load loses no check and no alert (its own checks, which fail the run)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_small_e2e_run_misses_nothing_and_alerts_every_outage():
    argv = [sys.executable, str(ROOT / "bench" / "e2e.py"), "--monitors", "300"]
    argv += ["--interval", "2", "--seconds", "20", "--groups", "2", "--group-size", "5"]
    run = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300)
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    assert "nothing missed: 0 gaps, 0 missed rows, 0 monitors without rows" in out, out
    assert "target down -> webhook (10 of 10 monitors, 0 without both alerts)" in out, out
    rate = float(re.search(r"checks/s sustained: ([\d,.]+)", out)[1].replace(",", ""))
    assert 140 <= rate <= 160, out  # 300 monitors every 2 s
    assert re.search(r"whole stack / reference [\d.]+", out), out
