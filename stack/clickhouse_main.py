"""Serve ClickHouse over HTTP from an embedded chdb engine.

Usage: python -m stack.clickhouse_main <work_dir> <http_port>

chdb has no server mode of its own; a never-ending query keeps the engine (and the HTTP
listener it starts) alive. The process is meant to be stopped with SIGTERM.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SERVE = (
    "SYSTEM START LISTEN HTTP; "
    "SELECT sleepEachRow(1) FROM system.numbers "
    "SETTINGS max_block_size=1, function_sleep_max_microseconds_per_block=0 FORMAT Null"
)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m stack.clickhouse_main <work_dir> <http_port>", file=sys.stderr)
        return 2
    work = Path(argv[0]).absolute()
    port = int(argv[1])
    work.mkdir(parents=True, exist_ok=True)
    # The engine reads config.xml from its current folder when it boots.
    (work / "config.xml").write_text(
        f"<clickhouse><http_port>{port}</http_port>"
        f"<listen_host>127.0.0.1</listen_host></clickhouse>\n"
    )
    # Must be imported before the chdir: the engine resolves its own files at import time.
    from chdb import _chdb

    os.chdir(work)
    print(f"clickhouse: serving HTTP on 127.0.0.1:{port}, data in {work / 'data'}", flush=True)
    result = _chdb.query(SERVE, "TabSeparated", path=str(work / "data"))
    # The serving query only returns when the engine failed (e.g. the port was taken); chdb
    # prints the reason itself, the exit code tells the launcher it is over.
    message = getattr(result, "error_message", None)
    if callable(message):
        message = message()
    print(f"clickhouse: serving query ended{': ' + message if message else ''}", flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
