"""The Python client generated from the api's OpenAPI document by a mainstream
generator (openapi-python-client, pinned): the committed clients/python is what the
generator makes of the current document, and the client works against the real api."""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import asyncpg
import pytest

from clients import generate
from services.api.keys import create_api_key
from tests.conftest import eventually

COMMITTED = Path(generate.__file__).parent / "python"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("client") / "python"
    done = generate.generate(out)
    assert done.returncode == 0, done.stdout + done.stderr
    # The generator drops what it cannot read with a warning instead of failing.
    assert "Warning" not in done.stdout, done.stdout
    return out


@pytest.fixture
def upmon_client(generated: Path):
    """The freshly generated package, imported from its temporary folder."""
    sys.path.insert(0, str(generated))
    try:
        yield importlib.import_module("upmon_client")
    finally:
        sys.path.remove(str(generated))
        for name in [m for m in sys.modules if m.split(".")[0] == "upmon_client"]:
            del sys.modules[name]


def _snake(operation_id: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation_id).lower()


def test_committed_client_is_what_the_generator_makes_of_the_current_document(generated):
    fresh, committed = generate.tree(generated), generate.tree(COMMITTED)

    stale = sorted(p for p in fresh.keys() & committed.keys() if fresh[p] != committed[p])
    assert (sorted(fresh.keys() - committed.keys()), sorted(committed.keys() - fresh.keys())) == (
        [],
        [],
    ), "clients/python is out of date: run `make client`"
    assert stale == [], "clients/python is out of date: run `make client`"
    # Every operation of the document became a function: none was dropped.
    doc = generate.document()
    for ops in doc["paths"].values():
        for op in ops.values():
            module = f"upmon_client/api/{op['tags'][0].replace('-', '_')}/"
            assert f"{module}{_snake(op['operationId'])}.py" in fresh, op["operationId"]


async def _client(upmon_client, stack):
    conn = await asyncpg.connect(stack.settings.pg_dsn)
    try:
        _, key = await create_api_key(conn, "python client", "write")
    finally:
        await conn.close()
    return upmon_client.AuthenticatedClient(base_url=stack.api_url, token=key)


async def test_generated_client_creates_pages_reads_results_and_acknowledges_an_incident(
    upmon_client, stack, target
):
    from upmon_client.api.incidents import acknowledge_incident, list_incidents
    from upmon_client.api.monitors import (
        create_monitor,
        get_monitor_stats,
        list_monitor_results,
        list_monitors,
    )
    from upmon_client.models import (
        GetMonitorStatsWindow,
        ListIncidentsStatus,
        MonitorFields,
        MonitorFieldsKind,
        MonitorList,
        MonitorView,
    )

    async with await _client(upmon_client, stack) as client:
        body = MonitorFields(
            name="client target",
            kind=MonitorFieldsKind.HTTP,
            target=target.url,
            interval_s=1,
            timeout_s=0.8,
            failure_threshold=1,
        )
        created = await create_monitor.asyncio_detailed(client=client, body=body)
        assert created.status_code == 201 and isinstance(created.parsed, MonitorView)
        mid = created.parsed.id
        ids = {mid}
        for i in range(2):
            paused = MonitorFields(
                name=f"paused {i}", kind=MonitorFieldsKind.HTTP, target=target.url, paused=True
            )
            ids.add((await create_monitor.asyncio(client=client, body=paused)).id)

        # Two pages of two, the second one the last.
        first = await list_monitors.asyncio(client=client, limit=2)
        assert isinstance(first, MonitorList) and len(first.items) == 2 and first.next_cursor
        second = await list_monitors.asyncio(client=client, limit=2, cursor=first.next_cursor)
        assert len(second.items) == 1 and not second.next_cursor
        assert {m.id for m in first.items + second.items} == ids

        async def results():
            page = await list_monitor_results.asyncio(mid, client=client)
            return page.items

        [result, *_] = await eventually(results, timeout=20)
        assert result.status == "up" and result.http_status == 200
        stats = await get_monitor_stats.asyncio(
            mid, client=client, window=GetMonitorStatsWindow.VALUE_0
        )
        assert stats.window == "1h" and stats.checks >= 1

        target.healthy = False

        async def open_incident():
            page = await list_incidents.asyncio(
                client=client, status=ListIncidentsStatus.OPEN, monitor_id=mid
            )
            return page.items

        [incident] = await eventually(open_incident, timeout=20)
        acked = await acknowledge_incident.asyncio_detailed(incident.id, client=client)
        assert acked.status_code == 200, acked.content
        assert acked.parsed.status.value == "acknowledged" and acked.parsed.acknowledged_by
        listed = await list_incidents.asyncio(
            client=client, status=ListIncidentsStatus.ACKNOWLEDGED
        )
        assert [i.id for i in listed.items] == [incident.id]
