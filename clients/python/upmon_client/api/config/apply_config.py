from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.apply_report import ApplyReport
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    dry_run: bool | Unset = UNSET,
    prune: bool | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["dry_run"] = dry_run

    params["prune"] = prune

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/config:apply",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ApplyReport | Problem:
    if response.status_code == 200:
        response_200 = ApplyReport.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ApplyReport | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    dry_run: bool | Unset = UNSET,
    prune: bool | Unset = UNSET,
) -> Response[ApplyReport | Problem]:
    """Apply a declared configuration (JSON or YAML: channels, monitors, status_pages, maintenance, keyed
    by name or slug) in one transaction; the answer lists every create, update and delete.

    Args:
        dry_run (bool | Unset):
        prune (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApplyReport | Problem]
    """

    kwargs = _get_kwargs(
        dry_run=dry_run,
        prune=prune,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    dry_run: bool | Unset = UNSET,
    prune: bool | Unset = UNSET,
) -> ApplyReport | Problem | None:
    """Apply a declared configuration (JSON or YAML: channels, monitors, status_pages, maintenance, keyed
    by name or slug) in one transaction; the answer lists every create, update and delete.

    Args:
        dry_run (bool | Unset):
        prune (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApplyReport | Problem
    """

    return sync_detailed(
        client=client,
        dry_run=dry_run,
        prune=prune,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    dry_run: bool | Unset = UNSET,
    prune: bool | Unset = UNSET,
) -> Response[ApplyReport | Problem]:
    """Apply a declared configuration (JSON or YAML: channels, monitors, status_pages, maintenance, keyed
    by name or slug) in one transaction; the answer lists every create, update and delete.

    Args:
        dry_run (bool | Unset):
        prune (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApplyReport | Problem]
    """

    kwargs = _get_kwargs(
        dry_run=dry_run,
        prune=prune,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    dry_run: bool | Unset = UNSET,
    prune: bool | Unset = UNSET,
) -> ApplyReport | Problem | None:
    """Apply a declared configuration (JSON or YAML: channels, monitors, status_pages, maintenance, keyed
    by name or slug) in one transaction; the answer lists every create, update and delete.

    Args:
        dry_run (bool | Unset):
        prune (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApplyReport | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            dry_run=dry_run,
            prune=prune,
        )
    ).parsed
