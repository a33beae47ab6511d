from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.dead_letter_list import DeadLetterList
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    subject: str | Unset = UNSET,
    consumer: str | Unset = UNSET,
    error: str | Unset = UNSET,
    since: str | Unset = UNSET,
    until: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    params["subject"] = subject

    params["consumer"] = consumer

    params["error"] = error

    params["since"] = since

    params["until"] = until

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/ops/dlq",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> DeadLetterList | Problem:
    if response.status_code == 200:
        response_200 = DeadLetterList.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DeadLetterList | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    subject: str | Unset = UNSET,
    consumer: str | Unset = UNSET,
    error: str | Unset = UNSET,
    since: str | Unset = UNSET,
    until: str | Unset = UNSET,
) -> Response[DeadLetterList | Problem]:
    """Dead letters, oldest first, with their error, attempts and decoded event.

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        subject (str | Unset):
        consumer (str | Unset):
        error (str | Unset):
        since (str | Unset):
        until (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeadLetterList | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        subject=subject,
        consumer=consumer,
        error=error,
        since=since,
        until=until,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    subject: str | Unset = UNSET,
    consumer: str | Unset = UNSET,
    error: str | Unset = UNSET,
    since: str | Unset = UNSET,
    until: str | Unset = UNSET,
) -> DeadLetterList | Problem | None:
    """Dead letters, oldest first, with their error, attempts and decoded event.

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        subject (str | Unset):
        consumer (str | Unset):
        error (str | Unset):
        since (str | Unset):
        until (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeadLetterList | Problem
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        subject=subject,
        consumer=consumer,
        error=error,
        since=since,
        until=until,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    subject: str | Unset = UNSET,
    consumer: str | Unset = UNSET,
    error: str | Unset = UNSET,
    since: str | Unset = UNSET,
    until: str | Unset = UNSET,
) -> Response[DeadLetterList | Problem]:
    """Dead letters, oldest first, with their error, attempts and decoded event.

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        subject (str | Unset):
        consumer (str | Unset):
        error (str | Unset):
        since (str | Unset):
        until (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeadLetterList | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        subject=subject,
        consumer=consumer,
        error=error,
        since=since,
        until=until,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    subject: str | Unset = UNSET,
    consumer: str | Unset = UNSET,
    error: str | Unset = UNSET,
    since: str | Unset = UNSET,
    until: str | Unset = UNSET,
) -> DeadLetterList | Problem | None:
    """Dead letters, oldest first, with their error, attempts and decoded event.

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        subject (str | Unset):
        consumer (str | Unset):
        error (str | Unset):
        since (str | Unset):
        until (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeadLetterList | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            subject=subject,
            consumer=consumer,
            error=error,
            since=since,
            until=until,
        )
    ).parsed
