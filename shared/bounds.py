"""String types with the limits every definition shares, as struct constraints:
checked by msgspec where a body is decoded and shown in the OpenAPI document.

`Plain` text refuses control characters (C0 with NUL, DEL, C1) and the
bidirectional controls that make a name display as something else (U+202E
turns `exe.txt` into `txt.exe`). Header values, tokens, targets and names are
all Plain: a CR/LF in a header value or token would split the request it is sent in.
"""

from __future__ import annotations

import re
from typing import Annotated

from msgspec import Meta

_CONTROLS = "\\x00-\\x1f\\x7f-\\x9f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069"
# Kept as one string so the api can recognise it in msgspec's messages. The end is a
# lookahead, not `$`: Python's `$` also matches before a final line break, and `\Z`
# is not in the JSON Schema (ECMA-262) dialect the OpenAPI document states it in.
NO_CONTROLS = f"^[^{_CONTROLS}]*(?![\\s\\S])"
CONTROLS_MESSAGE = "must not contain control characters (line breaks, NUL, bidi overrides)"
_CONTROL = re.compile(f"[{_CONTROLS}]")


def has_controls(text: str) -> bool:
    return _CONTROL.search(text) is not None


def plain(max_length: int, min_length: int = 0) -> Meta:
    return Meta(min_length=min_length, max_length=max_length, pattern=NO_CONTROLS)


Name = Annotated[str, plain(200, 1)]
Target = Annotated[str, plain(2048)]
# Ids of other records; a UUID is 36 characters.
RefId = Annotated[str, plain(64, 1)]
Tag = Annotated[str, plain(64, 1)]
HeaderName = Annotated[str, Meta(min_length=1, max_length=128)]
# Checked for control characters by the rules that name the header in their error.
HeaderValue = Annotated[str, Meta(max_length=2048)]
Token = Annotated[str, plain(4096, 1)]
MAX_HEADERS = 32
# Times a request may name: near year 1 or 9999 a change of time zone overflows (500s),
# and nothing upmon stores lies outside. Far-future bounds ("since 2999") stay valid.
EARLIEST_YEAR, LATEST_YEAR = 1970, 9998
