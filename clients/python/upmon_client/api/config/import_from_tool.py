from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.import_from_tool_from import ImportFromToolFrom
from ...models.import_report import ImportReport
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: ImportFromToolFrom,
    dry_run: bool | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_from_ = from_.value
    params["from"] = json_from_

    params["dry_run"] = dry_run

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/imports",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ImportReport | Problem:
    if response.status_code == 200:
        response_200 = ImportReport.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = ImportReport.from_dict(response.json())

        return response_201

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ImportReport | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    from_: ImportFromToolFrom,
    dry_run: bool | Unset = UNSET,
) -> Response[ImportReport | Problem]:
    """Import monitors and channels from Uptime Kuma, Gatus or Healthchecks: every item that maps is
    created, or nothing; the report says why an item did not map.

    Args:
        from_ (ImportFromToolFrom):
        dry_run (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImportReport | Problem]
    """

    kwargs = _get_kwargs(
        from_=from_,
        dry_run=dry_run,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    from_: ImportFromToolFrom,
    dry_run: bool | Unset = UNSET,
) -> ImportReport | Problem | None:
    """Import monitors and channels from Uptime Kuma, Gatus or Healthchecks: every item that maps is
    created, or nothing; the report says why an item did not map.

    Args:
        from_ (ImportFromToolFrom):
        dry_run (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImportReport | Problem
    """

    return sync_detailed(
        client=client,
        from_=from_,
        dry_run=dry_run,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    from_: ImportFromToolFrom,
    dry_run: bool | Unset = UNSET,
) -> Response[ImportReport | Problem]:
    """Import monitors and channels from Uptime Kuma, Gatus or Healthchecks: every item that maps is
    created, or nothing; the report says why an item did not map.

    Args:
        from_ (ImportFromToolFrom):
        dry_run (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImportReport | Problem]
    """

    kwargs = _get_kwargs(
        from_=from_,
        dry_run=dry_run,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    from_: ImportFromToolFrom,
    dry_run: bool | Unset = UNSET,
) -> ImportReport | Problem | None:
    """Import monitors and channels from Uptime Kuma, Gatus or Healthchecks: every item that maps is
    created, or nothing; the report says why an item did not map.

    Args:
        from_ (ImportFromToolFrom):
        dry_run (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImportReport | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            dry_run=dry_run,
        )
    ).parsed
