"""Fit monitors stored before the definition limits within them (shared/fit_limits.py);
each changed one keeps its document as it was in `doc_before_limits`."""

from shared import fit_limits


async def apply(conn, keyring) -> None:
    await fit_limits.fit_all(conn)
