"""JSON or YAML documents (monitor imports) as plain data, screened before they are
built. Kept free of the api's other imports: large documents are parsed in a worker
process that loads only this module (see monitors_io.parse_off_loop)."""

from __future__ import annotations

from typing import Any, Literal

import msgspec
import yaml

# libyaml when present: about 4x faster than the pure-Python loader on a 1 MB import.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Deeper documents are refused before they are built: a monitor is 4 levels deep, and
# thousands of nested brackets would exhaust the stack (RecursionError).
MAX_DEPTH = 32
_OPENS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSES = (yaml.SequenceEndEvent, yaml.MappingEndEvent)

Format = Literal["json", "yaml"] | None


class TooDeep(ValueError):
    pass


class Malformed(ValueError):
    pass


def _screened_yaml(raw: bytes) -> Any:
    """Refuse aliases (an alias bomb expands into millions of items) and deep nesting from
    the event stream, which costs no recursion, then build the document."""
    depth = 0
    for event in yaml.parse(raw, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.YAMLError("anchors and aliases (*name) are not accepted")
        if isinstance(event, _OPENS):
            depth += 1
            if depth > MAX_DEPTH:
                raise TooDeep
        elif isinstance(event, _CLOSES):
            depth -= 1
    return yaml.load(raw, Loader=_LOADER)


def load(raw: bytes, fmt: Format = None) -> Any:
    """`fmt` None tries JSON, then YAML (a superset). Raises TooDeep or Malformed."""
    try:
        if fmt != "yaml":
            try:
                return msgspec.json.decode(raw)
            except msgspec.DecodeError:
                if fmt == "json":
                    raise
        return _screened_yaml(raw)
    except RecursionError:
        raise TooDeep from None
    except (msgspec.DecodeError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise Malformed(" ".join(str(exc).split())) from None


def outcome(raw: bytes, fmt: Format) -> tuple[str, Any]:
    """`load` for a worker process: its errors as values, which always pickle."""
    try:
        return "ok", load(raw, fmt)
    except TooDeep:
        return "deep", None
    except Malformed as exc:
        return "malformed", str(exc)
