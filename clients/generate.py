"""Regenerate the Python client from the api's own OpenAPI document.

`make client` runs it into clients/python; the test that keeps that tree fresh runs
it into a temporary folder and compares. The document is built from the code (the
structs the api decodes), never read from a running server, so the client matches
the commit it is generated from."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "openapi-python-client.yaml"
# Not the generator's: ruff's cache from its hooks, and what `pip install
# ./clients/python` leaves beside the sources.
NOT_GENERATED = {".ruff_cache", "__pycache__", "build", "dist"}


def document() -> dict:
    from services.api import openapi, routes

    return openapi.build(routes.ALL)


def generate(out: Path) -> subprocess.CompletedProcess:
    """Write the client project into `out` (replaced if it exists)."""
    bin_dir = Path(sys.executable).parent
    # The generator's post hooks call `ruff` by name: the pinned one of this venv.
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    with tempfile.TemporaryDirectory() as tmp:
        doc = Path(tmp) / "openapi.json"
        doc.write_text(json.dumps(document(), indent=2))
        command = [
            str(bin_dir / "openapi-python-client"), "generate",
            "--path", str(doc),
            "--meta", "setup",
            "--config", str(CONFIG),
            "--output-path", str(out),
            "--overwrite",
        ]  # fmt: skip
        return subprocess.run(
            command,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )


def _not_generated(parts: tuple[str, ...]) -> bool:
    return bool(NOT_GENERATED & set(parts)) or any(p.endswith(".egg-info") for p in parts)


def tree(root: Path) -> dict[str, bytes]:
    """Every generated file under `root`, by relative path."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not _not_generated(p.relative_to(root).parts)
    }


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "python"
    done = generate(out)
    sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr)
    if done.returncode != 0 or "Warning" in done.stdout:
        print("the generator did not take the whole document (see above)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
