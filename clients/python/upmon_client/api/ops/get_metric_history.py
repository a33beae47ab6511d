from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.get_metric_history_metric import GetMetricHistoryMetric
from ...models.get_metric_history_window import GetMetricHistoryWindow
from ...models.history import History
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    metric: GetMetricHistoryMetric,
    window: GetMetricHistoryWindow | Unset = UNSET,
    stream: str | Unset = UNSET,
    consumer: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_metric = metric.value
    params["metric"] = json_metric

    json_window: str | Unset = UNSET
    if not isinstance(window, Unset):
        json_window = window.value

    params["window"] = json_window

    params["stream"] = stream

    params["consumer"] = consumer

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/ops/history",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> History | Problem:
    if response.status_code == 200:
        response_200 = History.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[History | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    metric: GetMetricHistoryMetric,
    window: GetMetricHistoryWindow | Unset = UNSET,
    stream: str | Unset = UNSET,
    consumer: str | Unset = UNSET,
) -> Response[History | Problem]:
    """Sampled history of a queue or replica metric: one series per stream and consumer (or service and
    replica), about 300 points per window.

    Args:
        metric (GetMetricHistoryMetric):
        window (GetMetricHistoryWindow | Unset):
        stream (str | Unset):
        consumer (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[History | Problem]
    """

    kwargs = _get_kwargs(
        metric=metric,
        window=window,
        stream=stream,
        consumer=consumer,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    metric: GetMetricHistoryMetric,
    window: GetMetricHistoryWindow | Unset = UNSET,
    stream: str | Unset = UNSET,
    consumer: str | Unset = UNSET,
) -> History | Problem | None:
    """Sampled history of a queue or replica metric: one series per stream and consumer (or service and
    replica), about 300 points per window.

    Args:
        metric (GetMetricHistoryMetric):
        window (GetMetricHistoryWindow | Unset):
        stream (str | Unset):
        consumer (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        History | Problem
    """

    return sync_detailed(
        client=client,
        metric=metric,
        window=window,
        stream=stream,
        consumer=consumer,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    metric: GetMetricHistoryMetric,
    window: GetMetricHistoryWindow | Unset = UNSET,
    stream: str | Unset = UNSET,
    consumer: str | Unset = UNSET,
) -> Response[History | Problem]:
    """Sampled history of a queue or replica metric: one series per stream and consumer (or service and
    replica), about 300 points per window.

    Args:
        metric (GetMetricHistoryMetric):
        window (GetMetricHistoryWindow | Unset):
        stream (str | Unset):
        consumer (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[History | Problem]
    """

    kwargs = _get_kwargs(
        metric=metric,
        window=window,
        stream=stream,
        consumer=consumer,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    metric: GetMetricHistoryMetric,
    window: GetMetricHistoryWindow | Unset = UNSET,
    stream: str | Unset = UNSET,
    consumer: str | Unset = UNSET,
) -> History | Problem | None:
    """Sampled history of a queue or replica metric: one series per stream and consumer (or service and
    replica), about 300 points per window.

    Args:
        metric (GetMetricHistoryMetric):
        window (GetMetricHistoryWindow | Unset):
        stream (str | Unset):
        consumer (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        History | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            metric=metric,
            window=window,
            stream=stream,
            consumer=consumer,
        )
    ).parsed
