"""A backup's manifest: every file checksummed, and a restore refuses a folder whose
files are missing, changed or of another format before it touches anything."""

from __future__ import annotations

import json

import pytest

from cli.backup import FORMAT, MANIFEST, file_entries, verify
from cli.main import CliError


def backup(tmp_path):
    (tmp_path / "streams").mkdir()
    (tmp_path / "postgres.dump").write_bytes(b"PGDMP...")
    (tmp_path / "streams" / "MONITORS.snap").write_text('{"seq": 1}\n')
    manifest = {"format": FORMAT, "files": file_entries(tmp_path)}
    (tmp_path / MANIFEST).write_text(json.dumps(manifest))
    return manifest


def test_every_file_is_listed_with_its_checksum_and_size(tmp_path):
    manifest = backup(tmp_path)

    assert set(manifest["files"]) == {"postgres.dump", "streams/MONITORS.snap"}
    assert manifest["files"]["postgres.dump"]["bytes"] == 8
    assert len(manifest["files"]["postgres.dump"]["sha256"]) == 64
    assert verify(tmp_path)["files"] == manifest["files"]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda p: (p / "postgres.dump").write_bytes(b"PGDMP..!"), "does not match its checksum"),
        (lambda p: (p / "streams" / "MONITORS.snap").unlink(), "MONITORS.snap is missing"),
        (lambda p: (p / MANIFEST).write_text('{"format": 99}'), "backup format 99"),
        (lambda p: (p / MANIFEST).unlink(), "is not an upmon backup"),
    ],
)
def test_a_damaged_backup_is_refused_naming_what_is_wrong(tmp_path, damage, message):
    backup(tmp_path)
    damage(tmp_path)

    with pytest.raises(CliError, match=message):
        verify(tmp_path)


def test_the_heartbeat_bucket_is_among_the_streams_kept():
    from cli.backup import STREAMS
    from shared import heartbeats

    # The CLI names it without importing the heartbeat module, so this pins the two.
    assert f"KV_{heartbeats.BUCKET}" in STREAMS
