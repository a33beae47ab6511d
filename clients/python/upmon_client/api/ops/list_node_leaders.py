from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.leader_report import LeaderReport
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    sample_s: float | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["sample_s"] = sample_s

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/ops/leaders",
        "params": params,
    }

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
    sample_s: float | Unset = UNSET,
) -> Response[LeaderReport | Problem]:
    """What each NATS node leads: groups, and messages a second through them over a sample (`single` on one
    server).

    Args:
        sample_s (float | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LeaderReport | Problem]
    """

    kwargs = _get_kwargs(
        sample_s=sample_s,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    sample_s: float | Unset = UNSET,
) -> LeaderReport | Problem | None:
    """What each NATS node leads: groups, and messages a second through them over a sample (`single` on one
    server).

    Args:
        sample_s (float | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LeaderReport | Problem
    """

    return sync_detailed(
        client=client,
        sample_s=sample_s,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    sample_s: float | Unset = UNSET,
) -> Response[LeaderReport | Problem]:
    """What each NATS node leads: groups, and messages a second through them over a sample (`single` on one
    server).

    Args:
        sample_s (float | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LeaderReport | Problem]
    """

    kwargs = _get_kwargs(
        sample_s=sample_s,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    sample_s: float | Unset = UNSET,
) -> LeaderReport | Problem | None:
    """What each NATS node leads: groups, and messages a second through them over a sample (`single` on one
    server).

    Args:
        sample_s (float | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LeaderReport | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            sample_s=sample_s,
        )
    ).parsed
