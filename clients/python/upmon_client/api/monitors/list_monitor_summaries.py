from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.list_monitor_summaries_status import ListMonitorSummariesStatus
from ...models.monitor_summary_list import MonitorSummaryList
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    tag: str | Unset = UNSET,
    status: ListMonitorSummariesStatus | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["tag"] = tag

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/monitors:summary",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> MonitorSummaryList | Problem:
    if response.status_code == 200:
        response_200 = MonitorSummaryList.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[MonitorSummaryList | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    tag: str | Unset = UNSET,
    status: ListMonitorSummariesStatus | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[MonitorSummaryList | Problem]:
    """Monitors in creation order, each with its status and last 24 hours of uptime.

    Args:
        tag (str | Unset):
        status (ListMonitorSummariesStatus | Unset):
        limit (int | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MonitorSummaryList | Problem]
    """

    kwargs = _get_kwargs(
        tag=tag,
        status=status,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    tag: str | Unset = UNSET,
    status: ListMonitorSummariesStatus | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> MonitorSummaryList | Problem | None:
    """Monitors in creation order, each with its status and last 24 hours of uptime.

    Args:
        tag (str | Unset):
        status (ListMonitorSummariesStatus | Unset):
        limit (int | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MonitorSummaryList | Problem
    """

    return sync_detailed(
        client=client,
        tag=tag,
        status=status,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    tag: str | Unset = UNSET,
    status: ListMonitorSummariesStatus | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[MonitorSummaryList | Problem]:
    """Monitors in creation order, each with its status and last 24 hours of uptime.

    Args:
        tag (str | Unset):
        status (ListMonitorSummariesStatus | Unset):
        limit (int | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MonitorSummaryList | Problem]
    """

    kwargs = _get_kwargs(
        tag=tag,
        status=status,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    tag: str | Unset = UNSET,
    status: ListMonitorSummariesStatus | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> MonitorSummaryList | Problem | None:
    """Monitors in creation order, each with its status and last 24 hours of uptime.

    Args:
        tag (str | Unset):
        status (ListMonitorSummariesStatus | Unset):
        limit (int | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MonitorSummaryList | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            tag=tag,
            status=status,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
