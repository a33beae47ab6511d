"""Notification channels. Reads mask every secret in `config`."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec
import nats.errors
from aiohttp import web

from services.api import channel_config, cursor, egress_check, jsonio, params, state
from services.api.problems import invalid, no_notifier, not_found, silence
from services.api.routing import Route
from services.api.schemas import (
    ChannelCreate,
    ChannelField,
    ChannelKindList,
    ChannelKindView,
    ChannelList,
    ChannelView,
)
from services.api.stores import channels as store
from shared import channels
from shared.channels import ChannelTestRequest, ChannelTestResult
from shared.events import encoder


def _shown(request: web.Request, channel: ChannelView) -> ChannelView:
    keyring = state.of(request).keyring
    return msgspec.structs.replace(
        channel, config=channel_config.masked(channel.kind, channel.config, keyring)
    )


async def create(request: web.Request) -> web.Response:
    body = await jsonio.body(request, ChannelCreate)
    st = state.of(request)
    plain = channel_config.parse(body.kind, body.config)
    errors = egress_check.channel_errors(egress_check.policy_of(st.settings), plain)
    if errors:
        raise invalid(errors)
    config = channel_config.sealed(body.kind, plain, st.keyring)
    channel = await store.insert(st.pool, body.name, body.kind, config, body.events)
    return jsonio.reply(_shown(request, channel), 201)


async def list_channels(request: web.Request) -> web.Response:
    items, last = await store.page(
        state.of(request).pool,
        params.limit(request),
        cursor.decode(params.text(request, "cursor"), tuple[datetime, uuid.UUID]),
    )
    return jsonio.reply(
        ChannelList([_shown(request, c) for c in items], cursor.encode(*last) if last else None)
    )


async def get_channel(request: web.Request) -> web.Response:
    channel = await store.get(state.of(request).pool, params.path_id(request, "channel"))
    if channel is None:
        raise not_found("channel")
    return jsonio.reply(_shown(request, channel))


async def delete_channel(request: web.Request) -> web.Response:
    if not await store.soft_delete(state.of(request).pool, params.path_id(request, "channel")):
        raise not_found("channel")
    return jsonio.no_content()


async def test_channel(request: web.Request) -> web.Response:
    st = state.of(request)
    channel = await store.get(st.pool, params.path_id(request, "channel"))
    if channel is None:
        raise not_found("channel")
    ask = encoder.encode(ChannelTestRequest(channel_id=channel.id))
    try:
        msg = await st.nc.request(channels.TEST_SUBJECT, ask, timeout=channels.TEST_TIMEOUT_S)
    except nats.errors.Error as exc:
        raise no_notifier("sends channel tests", silence(exc)) from None
    reply = channels.test_reply_decoder.decode(msg.data)
    return jsonio.reply(
        ChannelTestResult(ok=reply.ok, status_code=reply.status_code, error=reply.error)
    )


# From the registry of channel kinds, so the dashboard's form never lists them again.
KINDS = ChannelKindList(
    [
        ChannelKindView(
            kind=k.name,
            fields=[ChannelField(**vars(f)) for f in k.form],
            secrets=sorted(k.secrets),
            preselected=k.preselected,
        )
        for k in channels.REGISTRY.values()
    ]
)


async def channel_kinds(request: web.Request) -> web.Response:
    return jsonio.reply(KINDS)


ROUTES = [
    Route(
        "GET",
        "/api/v1/channel-kinds",
        channel_kinds,
        "The channel kinds, each with the fields of its `config` and which are write-only.",
        operation="listChannelKinds",
        scope="read",
        response=ChannelKindList,
    ),
    Route(
        "POST",
        "/api/v1/channels",
        create,
        "Create a notification channel; `config` depends on `kind`.",
        operation="createChannel",
        scope="write",
        body=ChannelCreate,
        response=ChannelView,
        status=201,
    ),
    Route(
        "GET",
        "/api/v1/channels",
        list_channels,
        "List channels; secrets are masked.",
        operation="listChannels",
        scope="read",
        response=ChannelList,
        query=(
            params.LIMIT,
            params.CURSOR,
        ),
    ),
    Route(
        "GET",
        "/api/v1/channels/{id}",
        get_channel,
        "Get a channel; secrets are masked.",
        operation="getChannel",
        scope="read",
        response=ChannelView,
    ),
    Route(
        "DELETE",
        "/api/v1/channels/{id}",
        delete_channel,
        "Delete a channel.",
        operation="deleteChannel",
        scope="write",
        status=204,
    ),
    Route(
        "POST",
        "/api/v1/channels/{id}/test",
        test_channel,
        "Send a test message through the channel and report the outcome (sent by a notifier).",
        operation="testChannel",
        scope="write",
        response=ChannelTestResult,
    ),
]
