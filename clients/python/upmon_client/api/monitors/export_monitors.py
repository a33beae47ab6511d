from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.export_monitors_format import ExportMonitorsFormat
from ...models.export_monitors_secrets import ExportMonitorsSecrets
from ...models.monitor_fields import MonitorFields
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    format_: ExportMonitorsFormat | Unset = UNSET,
    secrets: ExportMonitorsSecrets | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    json_secrets: str | Unset = UNSET
    if not isinstance(secrets, Unset):
        json_secrets = secrets.value

    params["secrets"] = json_secrets

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/monitors:export",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | list[MonitorFields]:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = MonitorFields.from_dict(response_200_item_data)

            response_200.append(response_200_item)

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | list[MonitorFields]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    format_: ExportMonitorsFormat | Unset = UNSET,
    secrets: ExportMonitorsSecrets | Unset = UNSET,
) -> Response[Problem | list[MonitorFields]]:
    """Every monitor as the fields that create it again (JSON or YAML); credentials are masked unless an
    admin asks for `secrets=include`.

    Args:
        format_ (ExportMonitorsFormat | Unset):
        secrets (ExportMonitorsSecrets | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[MonitorFields]]
    """

    kwargs = _get_kwargs(
        format_=format_,
        secrets=secrets,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    format_: ExportMonitorsFormat | Unset = UNSET,
    secrets: ExportMonitorsSecrets | Unset = UNSET,
) -> Problem | list[MonitorFields] | None:
    """Every monitor as the fields that create it again (JSON or YAML); credentials are masked unless an
    admin asks for `secrets=include`.

    Args:
        format_ (ExportMonitorsFormat | Unset):
        secrets (ExportMonitorsSecrets | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[MonitorFields]
    """

    return sync_detailed(
        client=client,
        format_=format_,
        secrets=secrets,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    format_: ExportMonitorsFormat | Unset = UNSET,
    secrets: ExportMonitorsSecrets | Unset = UNSET,
) -> Response[Problem | list[MonitorFields]]:
    """Every monitor as the fields that create it again (JSON or YAML); credentials are masked unless an
    admin asks for `secrets=include`.

    Args:
        format_ (ExportMonitorsFormat | Unset):
        secrets (ExportMonitorsSecrets | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[MonitorFields]]
    """

    kwargs = _get_kwargs(
        format_=format_,
        secrets=secrets,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    format_: ExportMonitorsFormat | Unset = UNSET,
    secrets: ExportMonitorsSecrets | Unset = UNSET,
) -> Problem | list[MonitorFields] | None:
    """Every monitor as the fields that create it again (JSON or YAML); credentials are masked unless an
    admin asks for `secrets=include`.

    Args:
        format_ (ExportMonitorsFormat | Unset):
        secrets (ExportMonitorsSecrets | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[MonitorFields]
    """

    return (
        await asyncio_detailed(
            client=client,
            format_=format_,
            secrets=secrets,
        )
    ).parsed
