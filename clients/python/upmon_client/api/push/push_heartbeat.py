from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.push_heartbeat_status import PushHeartbeatStatus
from ...models.push_receipt import PushReceipt
from ...types import UNSET, Response, Unset


def _get_kwargs(
    token: str,
    *,
    status: PushHeartbeatStatus | Unset = UNSET,
    msg: str | Unset = UNSET,
    rid: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["msg"] = msg

    params["rid"] = rid

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/push/{token}".format(
            token=quote(str(token), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | PushReceipt:
    if response.status_code == 200:
        response_200 = PushReceipt.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | PushReceipt]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    token: str,
    *,
    client: AuthenticatedClient | Client,
    status: PushHeartbeatStatus | Unset = UNSET,
    msg: str | Unset = UNSET,
    rid: str | Unset = UNSET,
) -> Response[Problem | PushReceipt]:
    """Record a heartbeat ping or a job's success (no credentials: the token is the secret). A POST body
    (its last 10 KB) is kept with the run as its output.

    Args:
        token (str):
        status (PushHeartbeatStatus | Unset):
        msg (str | Unset):
        rid (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | PushReceipt]
    """

    kwargs = _get_kwargs(
        token=token,
        status=status,
        msg=msg,
        rid=rid,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    token: str,
    *,
    client: AuthenticatedClient | Client,
    status: PushHeartbeatStatus | Unset = UNSET,
    msg: str | Unset = UNSET,
    rid: str | Unset = UNSET,
) -> Problem | PushReceipt | None:
    """Record a heartbeat ping or a job's success (no credentials: the token is the secret). A POST body
    (its last 10 KB) is kept with the run as its output.

    Args:
        token (str):
        status (PushHeartbeatStatus | Unset):
        msg (str | Unset):
        rid (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | PushReceipt
    """

    return sync_detailed(
        token=token,
        client=client,
        status=status,
        msg=msg,
        rid=rid,
    ).parsed


async def asyncio_detailed(
    token: str,
    *,
    client: AuthenticatedClient | Client,
    status: PushHeartbeatStatus | Unset = UNSET,
    msg: str | Unset = UNSET,
    rid: str | Unset = UNSET,
) -> Response[Problem | PushReceipt]:
    """Record a heartbeat ping or a job's success (no credentials: the token is the secret). A POST body
    (its last 10 KB) is kept with the run as its output.

    Args:
        token (str):
        status (PushHeartbeatStatus | Unset):
        msg (str | Unset):
        rid (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | PushReceipt]
    """

    kwargs = _get_kwargs(
        token=token,
        status=status,
        msg=msg,
        rid=rid,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    token: str,
    *,
    client: AuthenticatedClient | Client,
    status: PushHeartbeatStatus | Unset = UNSET,
    msg: str | Unset = UNSET,
    rid: str | Unset = UNSET,
) -> Problem | PushReceipt | None:
    """Record a heartbeat ping or a job's success (no credentials: the token is the secret). A POST body
    (its last 10 KB) is kept with the run as its output.

    Args:
        token (str):
        status (PushHeartbeatStatus | Unset):
        msg (str | Unset):
        rid (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | PushReceipt
    """

    return (
        await asyncio_detailed(
            token=token,
            client=client,
            status=status,
            msg=msg,
            rid=rid,
        )
    ).parsed
