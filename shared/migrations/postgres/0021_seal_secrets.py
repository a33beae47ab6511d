"""Encrypt the monitor and channel secrets stored in plaintext before 0020 (and scrub
those of deleted rows), with UPMON_SECRET_KEY. Nothing stored is lost: a database
with secrets and no key refuses this migration instead of dropping them."""

from shared import secret_store


async def apply(conn, keyring) -> None:
    await secret_store.reseal_all(conn, keyring)
