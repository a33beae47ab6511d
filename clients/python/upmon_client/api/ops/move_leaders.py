from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.leader_order import LeaderOrder
from ...models.leader_report import LeaderReport
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: LeaderOrder,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/ops/leaders",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> LeaderReport | Problem:
    if response.status_code == 200:
        response_200 = LeaderReport.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[LeaderReport | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: LeaderOrder,
) -> Response[LeaderReport | Problem]:
    """Hand leaders over, one graceful step-down at a time: `balance` evens out what each node leads,
    `drain` empties `nodes` (before their maintenance); `dry_run` only plans. Answers with the moves
    made and where the leaders are now.

    Args:
        body (LeaderOrder): What to do: show what each node leads, balance it, or drain nodes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LeaderReport | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: LeaderOrder,
) -> LeaderReport | Problem | None:
    """Hand leaders over, one graceful step-down at a time: `balance` evens out what each node leads,
    `drain` empties `nodes` (before their maintenance); `dry_run` only plans. Answers with the moves
    made and where the leaders are now.

    Args:
        body (LeaderOrder): What to do: show what each node leads, balance it, or drain nodes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LeaderReport | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: LeaderOrder,
) -> Response[LeaderReport | Problem]:
    """Hand leaders over, one graceful step-down at a time: `balance` evens out what each node leads,
    `drain` empties `nodes` (before their maintenance); `dry_run` only plans. Answers with the moves
    made and where the leaders are now.

    Args:
        body (LeaderOrder): What to do: show what each node leads, balance it, or drain nodes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LeaderReport | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: LeaderOrder,
) -> LeaderReport | Problem | None:
    """Hand leaders over, one graceful step-down at a time: `balance` evens out what each node leads,
    `drain` empties `nodes` (before their maintenance); `dry_run` only plans. Answers with the moves
    made and where the leaders are now.

    Args:
        body (LeaderOrder): What to do: show what each node leads, balance it, or drain nodes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LeaderReport | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
