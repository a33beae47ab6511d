from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.get_throughput_window import GetThroughputWindow
from ...models.problem import Problem
from ...models.throughput import Throughput
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    window: GetThroughputWindow | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_window: str | Unset = UNSET
    if not isinstance(window, Unset):
        json_window = window.value

    params["window"] = json_window

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/ops/throughput",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Throughput:
    if response.status_code == 200:
        response_200 = Throughput.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | Throughput]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    window: GetThroughputWindow | Unset = UNSET,
) -> Response[Problem | Throughput]:
    """Checks, results and deliveries per second, p99 schedule lag and check-to-row latency, and failed
    checks by error kind over time.

    Args:
        window (GetThroughputWindow | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Throughput]
    """

    kwargs = _get_kwargs(
        window=window,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    window: GetThroughputWindow | Unset = UNSET,
) -> Problem | Throughput | None:
    """Checks, results and deliveries per second, p99 schedule lag and check-to-row latency, and failed
    checks by error kind over time.

    Args:
        window (GetThroughputWindow | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Throughput
    """

    return sync_detailed(
        client=client,
        window=window,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    window: GetThroughputWindow | Unset = UNSET,
) -> Response[Problem | Throughput]:
    """Checks, results and deliveries per second, p99 schedule lag and check-to-row latency, and failed
    checks by error kind over time.

    Args:
        window (GetThroughputWindow | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Throughput]
    """

    kwargs = _get_kwargs(
        window=window,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    window: GetThroughputWindow | Unset = UNSET,
) -> Problem | Throughput | None:
    """Checks, results and deliveries per second, p99 schedule lag and check-to-row latency, and failed
    checks by error kind over time.

    Args:
        window (GetThroughputWindow | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Throughput
    """

    return (
        await asyncio_detailed(
            client=client,
            window=window,
        )
    ).parsed
