from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.filter_ import Filter
from ...models.outcome import Outcome
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: Filter,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/ops/dlq:discard",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Outcome | Problem:
    if response.status_code == 200:
        response_200 = Outcome.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Outcome | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: Filter,
) -> Response[Outcome | Problem]:
    """Discard every dead letter that matches (ids, a filter, or all); dry_run counts.

    Args:
        body (Filter): Which dead letters a bulk action touches. An empty filter matches nothing
            unless
                `all` is set, so a forgotten field never retries or discards everything.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Outcome | Problem]
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
    body: Filter,
) -> Outcome | Problem | None:
    """Discard every dead letter that matches (ids, a filter, or all); dry_run counts.

    Args:
        body (Filter): Which dead letters a bulk action touches. An empty filter matches nothing
            unless
                `all` is set, so a forgotten field never retries or discards everything.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Outcome | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: Filter,
) -> Response[Outcome | Problem]:
    """Discard every dead letter that matches (ids, a filter, or all); dry_run counts.

    Args:
        body (Filter): Which dead letters a bulk action touches. An empty filter matches nothing
            unless
                `all` is set, so a forgotten field never retries or discards everything.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Outcome | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: Filter,
) -> Outcome | Problem | None:
    """Discard every dead letter that matches (ids, a filter, or all); dry_run counts.

    Args:
        body (Filter): Which dead letters a bulk action touches. An empty filter matches nothing
            unless
                `all` is set, so a forgotten field never retries or discards everything.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Outcome | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
