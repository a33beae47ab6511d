"""The api's settings as an admin may see them: every UPMON_* value, with secrets
(passwords, tokens, keys, credentials in URLs) replaced by whether they are set."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

import msgspec
from aiohttp import web

from services.api import jsonio, state
from services.api.routing import Route
from shared import config

_SECRET = re.compile(r"password|secret|token|seed|creds|(^|_)key($|_)")
MASK = "********"


class Setting(msgspec.Struct, kw_only=True):
    name: str
    value: str
    secret: bool = False


class SettingList(msgspec.Struct):
    items: list[Setting]


def _without_password(url: str) -> str:
    """Each URL of a comma-separated list with any password masked."""
    out = []
    for part in url.split(","):
        try:
            found = urlsplit(part.strip())
            if found.password:
                host = found.hostname or ""
                port = f":{found.port}" if found.port else ""
                netloc = f"{found.username}:{MASK}@{host}{port}"
                part = urlunsplit(found._replace(netloc=netloc))
        except ValueError:
            part = MASK
        out.append(part)
    return ",".join(out)


def safe(settings: config.Settings) -> list[Setting]:
    items = []
    for name, value in msgspec.structs.asdict(settings).items():
        env = config.PREFIX + name.upper()
        if _SECRET.search(name):
            items.append(Setting(name=env, value=MASK if value else "", secret=True))
        elif isinstance(value, str) and "://" in value:
            items.append(Setting(name=env, value=_without_password(value)))
        else:
            items.append(Setting(name=env, value=str(value)))
    return items


async def settings_view(request: web.Request) -> web.Response:
    return jsonio.reply(SettingList(safe(state.of(request).settings)))


ROUTES = [
    Route(
        "GET",
        "/api/v1/ops/settings",
        settings_view,
        "The api's UPMON_* settings; secrets show only whether they are set.",
        operation="getSettings",
        scope="admin",
        response=SettingList,
    ),
]
