"""One answer to "is Postgres away?": an outage is waited out, a bug or bad data is not."""

from __future__ import annotations

import asyncpg
import pytest

from shared import db, runner

AWAY = [
    ConnectionRefusedError(111, "refused"),
    ConnectionResetError(104, "reset"),
    TimeoutError(),
    db.NoWritableServer("no primary"),
    asyncpg.InterfaceError("connection is closed"),
    asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
    asyncpg.CannotConnectNowError("the database system is starting up"),
    asyncpg.AdminShutdownError("terminating connection due to administrator command"),
    asyncpg.CrashShutdownError("crash"),
    asyncpg.TooManyConnectionsError("sorry, too many clients already"),
    asyncpg.ReadOnlySQLTransactionError("cannot execute INSERT in a read-only transaction"),
    asyncpg.SerializationError("could not serialize access"),
    asyncpg.DeadlockDetectedError("deadlock detected"),
]
NOT_AWAY = [
    asyncpg.UniqueViolationError("duplicate key value"),
    asyncpg.ForeignKeyViolationError("violates foreign key constraint"),
    asyncpg.PostgresSyntaxError("syntax error at or near"),
    asyncpg.UndefinedTableError('relation "nope" does not exist'),
    asyncpg.InvalidTextRepresentationError("invalid input syntax for type uuid"),
    asyncpg.DataError("invalid input for query argument $1"),
    asyncpg.InvalidPasswordError("password authentication failed"),
    ValueError("bad"),
    KeyError("doc"),
]


@pytest.mark.parametrize("exc", AWAY, ids=lambda e: type(e).__name__)
def test_an_outage_is_unavailable(exc):
    assert db.unavailable(exc)


@pytest.mark.parametrize("exc", NOT_AWAY, ids=lambda e: type(e).__name__)
def test_a_bug_or_bad_data_is_not_unavailable(exc):
    assert not db.unavailable(exc)


def test_a_consumer_holds_its_message_through_an_outage():
    with pytest.raises(runner.Unavailable) as caught, runner.postgres_outage():
        raise asyncpg.CannotConnectNowError("starting up")
    assert isinstance(caught.value.__cause__, asyncpg.CannotConnectNowError)


def test_a_consumer_lets_bad_data_fail_towards_the_dlq():
    with pytest.raises(asyncpg.UniqueViolationError), runner.postgres_outage():
        raise asyncpg.UniqueViolationError("duplicate key value")
