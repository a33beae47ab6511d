"""Python's re against RE2 (shared.patterns) on the patterns HTTP monitors use, and
on the hostile ones: why user regexes run on RE2.

Run: .venv/bin/python bench/regex.py [--body-mb 1]

Printed per pattern: milliseconds per search with each engine over the same body,
and their ratio. Python's re runs the hostile patterns on short inputs only (each
extra `a` doubles its time); RE2 also on 100,000 `a` and on a 1 MB body that
defeats its DFA cache. Figures drift with machine load: compare within one run.
"""

from __future__ import annotations

import argparse
import random
import re
import time

from shared import patterns


def _ms(search, pattern: str, text: str, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        search(pattern, text)
        best = min(best, time.perf_counter() - started)
    return best * 1000


def _re(pattern: str, text: str) -> bool:
    return re.search(pattern, text) is not None


def _row(name: str, pattern: str, text: str, with_re: bool = True) -> None:
    ours = _ms(patterns.search, pattern, text)
    if not with_re:
        print(f"{name:<34} {len(text):>10,} {'(not run)':>12} {ours:>12.3f} {'-':>10}")
        return
    theirs = _ms(_re, pattern, text, repeat=1)
    print(f"{name:<34} {len(text):>10,} {theirs:>12.3f} {ours:>12.3f} {theirs / ours:>9.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--body-mb", type=float, default=1.0)
    args = parser.parse_args()
    size = int(args.body_mb * 1024 * 1024)
    html = ("<div class='status'>all systems operational</div>\n" * (size // 50 + 1))[:size]
    mixed = "".join(random.Random(1).choices("ab", k=size))
    print(f"{'pattern':<34} {'chars':>10} {'re ms':>12} {'RE2 ms':>12} {'re/RE2':>10}")
    _row("literal, found at the end", "operational</div>\\n$", html)
    _row("class and repeat, absent", r"version: \d+\.\d+\.\d+", html)
    _row("case-insensitive alternation", "(?i)(degraded|outage|maintenance)", html)
    for n in (18, 20, 22):
        _row(f"(a+)+$ on {n} a and a !", "(a+)+$", "a" * n + "!")
    _row("(a+)+$ on 100,000 a and a !", "(a+)+$", "a" * 100_000 + "!", with_re=False)
    _row("(a|b)*a(a|b){20}c (DFA-hostile)", "(a|b)*a(a|b){20}c", mixed, with_re=False)


if __name__ == "__main__":
    main()
